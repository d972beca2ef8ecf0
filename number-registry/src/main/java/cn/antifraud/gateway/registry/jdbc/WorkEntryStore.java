package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.work.DurableWorkEntries;
import cn.antifraud.gateway.registry.work.WorkCodec;
import com.hazelcast.map.EntryLoader.MetadataAwareValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows of one durable work store in {@code work_entry}: the codec's bytes and the expiry. Writes go
 * through the {@link DurableGroupCommit} shared with the {@code durable.*} maps, so they share its
 * transactions and, as there, a call returns only once its rows committed.
 *
 * <p>{@link #storeNew} commits a batch of new records itself, in one transaction, and remembers the
 * exact bytes; the write-through {@link #store} that Hazelcast then makes for each of them on this member
 * finds its value already committed and writes nothing. A record whose partition another member owns is
 * written there again (the same bytes: harmless), and {@link #forgetStored} drops what remains here.
 *
 * <p>Hazelcast does not delete a record from its store when its time-to-live runs out, so expired rows are
 * skipped by every load and deleted at the start of each initial load.
 */
final class WorkEntryStore implements DurableWorkEntries {

    private final StoreContext context;
    private final DurableGroupCommit commits;
    private final String storeName;
    /** Records committed by {@link #storeNew} whose write-through call has not come yet. */
    private final Map<String, byte[]> committedAhead = new ConcurrentHashMap<>();

    WorkEntryStore(StoreContext context, DurableGroupCommit commits, String storeName) {
        this.context = requireNonNull(context, "context");
        this.commits = requireNonNull(commits, "commits");
        this.storeName = requireNonNull(storeName, "storeName");
    }

    @Override
    public void storeNew(Map<String, byte[]> values) {
        if (values.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        List<DurableGroupCommit.Row> rows = new ArrayList<>(values.size());
        values.forEach((k, v) -> rows.add(DurableGroupCommit.Row.upsertWork(storeName, k, v, null, now)));
        commits.write("storing " + values.size() + " new records of work store " + storeName, rows);
        committedAhead.putAll(values);
    }

    @Override
    public void forgetStored(Collection<String> keys) {
        for (String key : keys) {
            committedAhead.remove(key);
        }
    }

    @Override
    public void store(String key, MetadataAwareValue<byte[]> value) {
        storeAll(Map.of(key, value));
    }

    @Override
    public void storeAll(Map<String, MetadataAwareValue<byte[]>> entries) {
        Instant now = Instant.now();
        List<DurableGroupCommit.Row> rows = new ArrayList<>(entries.size());
        for (Map.Entry<String, MetadataAwareValue<byte[]>> e : entries.entrySet()) {
            byte[] bytes = requireNonNull(e.getValue().getValue(), "value");
            byte[] ahead = committedAhead.get(e.getKey());
            if (ahead != null && Arrays.equals(ahead, bytes) && committedAhead.remove(e.getKey(), ahead)) {
                continue;
            }
            rows.add(DurableGroupCommit.Row.upsertWork(storeName, e.getKey(), bytes, expiry(e.getValue()), now));
        }
        if (!rows.isEmpty()) {
            commits.write("storing " + rows.size() + " records of work store " + storeName, rows);
        }
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
        List<DurableGroupCommit.Row> rows = new ArrayList<>(keys.size());
        for (String key : keys) {
            rows.add(DurableGroupCommit.Row.deleteWork(storeName, key));
        }
        commits.write("deleting " + keys.size() + " records of work store " + storeName, rows);
    }

    @Override
    public MetadataAwareValue<byte[]> load(String key) {
        return loadAll(List.of(key)).get(key);
    }

    @Override
    public Map<String, MetadataAwareValue<byte[]>> loadAll(Collection<String> keys) {
        Map<String, MetadataAwareValue<byte[]>> result = new HashMap<>();
        if (keys.isEmpty()) {
            return result;
        }
        try {
            context.underLoadPermit("loading work store " + storeName, () -> {
                loadInto(keys, result);
                return null;
            });
        } catch (SQLException e) {
            throw new DatabaseAccessException("loading " + keys.size() + " records of work store " + storeName, e);
        }
        return result;
    }

    private void loadInto(Collection<String> keys, Map<String, MetadataAwareValue<byte[]>> result) throws SQLException {
        Instant now = Instant.now();
        try (Connection c = context.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("SELECT entry_key, value_bytes, expires_at FROM work_entry"
                     + " WHERE store_name = ? AND entry_key = ANY(?)")) {
            for (List<String> chunk : Jdbc.chunks(keys, context.batchSize())) {
                p.setString(1, storeName);
                p.setArray(2, Jdbc.keyArray(c, context.dialect(), chunk));
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        Instant expires = Jdbc.instant(rs, 3);
                        if (expires == null) {
                            result.put(rs.getString(1), new MetadataAwareValue<>(rs.getBytes(2)));
                        } else if (expires.isAfter(now)) {
                            result.put(rs.getString(1), new MetadataAwareValue<>(rs.getBytes(2), expires.toEpochMilli()));
                        }
                    }
                }
            }
        }
    }

    /** Deletes the expired rows first: nobody else does (Hazelcast's expiry does not reach the store). */
    @Override
    public Iterable<String> loadAllKeys() {
        try (Connection c = context.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("DELETE FROM work_entry WHERE store_name = ? AND expires_at <= ?")) {
            p.setString(1, storeName);
            p.setObject(2, Jdbc.timestamp(Instant.now()));
            p.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseAccessException("deleting expired records of work store " + storeName, e);
        }
        return new StreamingKeys(context.dataSource(), "SELECT entry_key FROM work_entry WHERE store_name = ?",
                storeName, context.fetchSize());
    }

    /**
     * Moves the rows the previous release wrote to the {@code durable.*} map {@code legacyMapName} into this
     * store, re-encoded by {@code codec}, in one transaction: after it, either every row is in
     * {@code work_entry} and gone from {@code durable_entry}, or nothing moved. A row the codec cannot
     * read stops the start, naming it, rather than dropping a queued job. Returns how many rows moved.
     */
    <V> int takeOver(String legacyMapName, WorkCodec<V> codec, Duration ttl) {
        Instant now = Instant.now();
        Instant expires = ttl == null ? null : now.plus(ttl);
        try (Connection c = context.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                List<DurableGroupCommit.Row> rows = new ArrayList<>();
                try (PreparedStatement p = c.prepareStatement(
                        "SELECT entry_key, value_class, value_json FROM durable_entry WHERE map_name = ?")) {
                    p.setString(1, legacyMapName);
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            rows.add(DurableGroupCommit.Row.upsertWork(storeName, rs.getString(1),
                                    reencode(codec, legacyMapName, rs.getString(1), rs.getString(2), rs.getString(3)), expires, now));
                        }
                    }
                }
                if (rows.isEmpty()) {
                    c.rollback();
                    return 0;
                }
                try (PreparedStatement p = c.prepareStatement(context.dialect().upsert("work_entry",
                        List.of("store_name", "entry_key"), List.of("value_bytes", "expires_at", "updated_at")))) {
                    for (List<DurableGroupCommit.Row> chunk : Jdbc.chunks(rows, context.batchSize())) {
                        for (DurableGroupCommit.Row r : chunk) {
                            p.setString(1, storeName);
                            p.setString(2, r.key());
                            p.setBytes(3, r.bytes());
                            if (expires == null) {
                                p.setNull(4, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                            } else {
                                p.setObject(4, Jdbc.timestamp(expires));
                            }
                            p.setObject(5, Jdbc.timestamp(now));
                            p.addBatch();
                        }
                        p.executeBatch();
                    }
                }
                try (PreparedStatement p = c.prepareStatement("DELETE FROM durable_entry WHERE map_name = ?")) {
                    p.setString(1, legacyMapName);
                    p.executeUpdate();
                }
                c.commit();
                c.setAutoCommit(true);
                return rows.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("moving " + legacyMapName + " into work store " + storeName, e);
        }
    }

    private static <V> byte[] reencode(WorkCodec<V> codec, String legacyMapName, String key, String valueClass, String json) {
        try {
            return codec.encode(codec.decodeLegacy(valueClass, json));
        } catch (RuntimeException e) {
            throw new IllegalStateException(legacyMapName + "[" + key + "] (" + valueClass + ") cannot be read by "
                    + codec.getClass().getSimpleName() + "; the upgrade stops so that no record is dropped: " + e.getMessage(), e);
        }
    }

    private static Instant expiry(MetadataAwareValue<byte[]> value) {
        long at = value.getExpirationTime();
        return at == MetadataAwareValue.NO_TIME_SET || at <= 0 || at == Long.MAX_VALUE ? null : Instant.ofEpochMilli(at);
    }
}
