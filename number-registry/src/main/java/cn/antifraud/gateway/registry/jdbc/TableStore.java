package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.store.CommitAheadStore;
import com.hazelcast.map.MapStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A write-through {@link MapStore} over one table whose primary key is the map key (a canonical
 * E.164 number). Writes go in JDBC batches inside one transaction per call; reads and deletes use
 * {@code key = ANY(?)} with at most {@code batchSize} keys, one prepared statement for any count.
 *
 * <p>A bulk writer commits ahead of the map ({@link CommitAheadStore}): rows committed by {@link #storeNew}
 * are remembered with their values, and a write-through call for the same key and an equal value skips
 * them, so a batch that enters the map with {@code setAll} is written to the database once, not twice.
 *
 * @param <V> the map's value type
 */
abstract class TableStore<V> implements CommitAheadStore<V> {
    /** The largest page {@link #page} reads. */
    static final int MAX_PAGE = 1_000;

    protected final StoreContext context;
    private final String table;
    private final String keyColumn;
    private final String upsertSql;
    private final String selectSql;
    private final String deleteSql;
    private final String keysSql;
    private final String firstPageSql;
    private final String nextPageSql;
    /** Rows committed by {@link #storeNew} whose write-through call has not come yet. */
    private final Map<String, V> committedAhead = new ConcurrentHashMap<>();
    private final AtomicLong rowsWritten = new AtomicLong();

    /** {@code valueColumns} are bound by {@link #bindValues} and read by {@link #read} in this order, after the key. */
    TableStore(StoreContext context, String table, String keyColumn, List<String> valueColumns) {
        this.context = requireNonNull(context, "context");
        this.table = table;
        this.keyColumn = keyColumn;
        List<String> written = new ArrayList<>(valueColumns);
        written.add("updated_at");
        this.upsertSql = context.dialect().upsert(table, List.of(keyColumn), written);
        this.selectSql = "SELECT " + keyColumn + ", " + String.join(", ", valueColumns) + " FROM " + table
                + " WHERE " + keyColumn + " = ANY(?)";
        this.deleteSql = "DELETE FROM " + table + " WHERE " + keyColumn + " = ANY(?)";
        this.keysSql = "SELECT " + keyColumn + " FROM " + table;
        String columns = "SELECT " + keyColumn + ", " + String.join(", ", valueColumns) + " FROM " + table;
        // Keyset pagination: a range scan of the primary key index from the cursor, never OFFSET.
        this.firstPageSql = columns + " ORDER BY " + keyColumn + " LIMIT ?";
        this.nextPageSql = columns + " WHERE " + keyColumn + " > ? ORDER BY " + keyColumn + " LIMIT ?";
    }

    /** The canonical key of a value: the store refuses a value filed under another key. */
    abstract String keyOf(V value);

    /** Binds the value columns starting at parameter {@code first}; returns the next free parameter index. */
    abstract int bindValues(PreparedStatement p, int first, V value) throws SQLException;

    /**
     * As {@link #bindValues(PreparedStatement, int, Object)}, with the batch's timestamp binder; a store whose
     * rows carry instants shared across a batch overrides this one.
     */
    int bindValues(PreparedStatement p, int first, V value, TimestampParameters timestamps) throws SQLException {
        return bindValues(p, first, value);
    }

    /** Reads one row of {@code SELECT key, valueColumns...}. */
    abstract V read(ResultSet rs) throws SQLException;

    /** Writes rows that live outside the main table (none by default), in the same transaction. */
    void writeDependents(Connection c, List<Map.Entry<String, V>> chunk) throws SQLException {
    }

    /** Completes values loaded from the main table with rows from elsewhere (nothing by default). */
    Map<String, V> completeLoaded(Connection c, Map<String, V> loaded) throws SQLException {
        return loaded;
    }

    @Override
    public void store(String key, V value) {
        storeAll(Map.of(key, value));
    }

    @Override
    public void storeAll(Map<String, V> entries) {
        checkKeys(entries);
        writeRows(withoutCommittedAhead(entries));
    }

    @Override
    public void storeNew(Map<String, V> rows) {
        checkKeys(rows);
        writeRows(rows);
        committedAhead.putAll(rows);
    }

    @Override
    public void forgetStored(Collection<String> keys) {
        for (String key : keys) {
            committedAhead.remove(key);
        }
    }

    /** Rows this store has committed since it was created, for tests that count the database writes. */
    long rowsWritten() {
        return rowsWritten.get();
    }

    private void checkKeys(Map<String, V> entries) {
        for (Map.Entry<String, V> e : entries.entrySet()) {
            requireNonNull(e.getValue(), "value");
            if (!e.getKey().equals(keyOf(e.getValue()))) {
                throw new IllegalArgumentException(table + ": key '" + e.getKey() + "' does not match the record's number '"
                        + keyOf(e.getValue()) + "'");
            }
        }
    }

    /**
     * The entries still to write: an entry whose key and equal value {@link #storeNew} committed is taken
     * off the remembered rows and skipped. Only an equal value is skipped, so a write that changed the
     * value meanwhile is never lost.
     */
    private Map<String, V> withoutCommittedAhead(Map<String, V> entries) {
        if (committedAhead.isEmpty()) {
            return entries;
        }
        Map<String, V> rest = null;
        for (Map.Entry<String, V> e : entries.entrySet()) {
            V ahead = committedAhead.get(e.getKey());
            if (ahead != null && ahead.equals(e.getValue()) && committedAhead.remove(e.getKey(), ahead)) {
                if (rest == null) {
                    rest = new HashMap<>(entries);
                }
                rest.remove(e.getKey());
            }
        }
        return rest == null ? entries : rest;
    }

    /** Upserts the rows in JDBC batches of {@code batchSize}, all in one transaction. */
    private void writeRows(Map<String, V> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        TimestampParameters timestamps = new TimestampParameters(context.dialect());
        try (Connection c = context.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement(upsertSql)) {
                for (List<Map.Entry<String, V>> chunk : Jdbc.chunks(entries.entrySet(), context.batchSize())) {
                    for (Map.Entry<String, V> e : chunk) {
                        p.setString(1, e.getKey());
                        int next = bindValues(p, 2, e.getValue(), timestamps);
                        timestamps.bind(p, next, now);
                        p.addBatch();
                    }
                    p.executeBatch();
                    writeDependents(c, chunk);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("storing " + entries.size() + " rows into " + table, e);
        }
        rowsWritten.addAndGet(entries.size());
    }

    @Override
    public void delete(String key) {
        deleteAll(List.of(key));
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        try (Connection c = context.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement(deleteSql)) {
            for (List<String> chunk : Jdbc.chunks(keys, context.batchSize())) {
                p.setArray(1, Jdbc.keyArray(c, context.dialect(), chunk));
                p.executeUpdate();
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("deleting " + keys.size() + " rows from " + table, e);
        }
    }

    @Override
    public V load(String key) {
        return loadAll(List.of(key)).get(key);
    }

    @Override
    public Map<String, V> loadAll(Collection<String> keys) {
        Map<String, V> result = new HashMap<>(Math.max(16, keys.size() * 4 / 3 + 1));
        if (keys.isEmpty()) {
            return result;
        }
        try {
            context.underLoadPermit("loading " + table, () -> {
                loadInto(keys, result);
                return null;
            });
        } catch (SQLException e) {
            throw new DatabaseAccessException("loading " + keys.size() + " rows from " + table, e);
        }
        return result;
    }

    private void loadInto(Collection<String> keys, Map<String, V> result) throws SQLException {
        try (Connection c = context.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement(selectSql)) {
            for (List<String> chunk : Jdbc.chunks(keys, context.batchSize())) {
                p.setArray(1, Jdbc.keyArray(c, context.dialect(), chunk));
                Map<String, V> loaded = new HashMap<>(chunk.size() * 4 / 3 + 1);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        loaded.put(rs.getString(1), read(rs));
                    }
                }
                result.putAll(completeLoaded(c, loaded));
            }
        }
    }

    /** Streams the keys through a cursor; see {@link StreamingKeys}. */
    @Override
    public Iterable<String> loadAllKeys() {
        return new StreamingKeys(context.dataSource(), keysSql, null, context.fetchSize());
    }

    /**
     * Up to {@code limit} rows in key order after {@code afterKey} (null: from the start), and the
     * cursor of the next page when there is one. One row more than asked is read to know that.
     */
    public Page<V> page(String afterKey, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", got " + limit);
        }
        boolean first = afterKey == null || afterKey.isEmpty();
        try (Connection c = context.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement(first ? firstPageSql : nextPageSql)) {
            int i = 1;
            if (!first) {
                p.setString(i++, afterKey);
            }
            p.setInt(i, limit + 1);
            Map<String, V> rows = new LinkedHashMap<>(limit * 4 / 3 + 2);
            String lastKey = null;
            boolean more = false;
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    if (rows.size() == limit) {
                        more = true;
                        break;
                    }
                    lastKey = rs.getString(1);
                    rows.put(lastKey, read(rs));
                }
            }
            Map<String, V> complete = completeLoaded(c, rows);
            List<V> items = new ArrayList<>(rows.size());
            for (String key : rows.keySet()) {
                items.add(complete.get(key));
            }
            return new Page<>(items, more ? lastKey : null);
        } catch (SQLException e) {
            throw new DatabaseAccessException("listing " + table + " after " + (first ? "the start" : afterKey), e);
        }
    }

    /** Rows in the table, for health checks and tests. */
    public long count() {
        try (Connection c = context.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM " + table);
             ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new DatabaseAccessException("counting " + table, e);
        }
    }

    String keyColumn() {
        return keyColumn;
    }
}
