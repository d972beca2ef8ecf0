package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.work.DurableWorkEntries;
import cn.antifraud.gateway.registry.work.VersionedValue;
import cn.antifraud.gateway.registry.work.WorkCodec;
import cn.antifraud.gateway.registry.work.WorkRow;
import com.hazelcast.map.EntryLoader.MetadataAwareValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of one durable work store in {@code work_entry}: the codec's bytes, the record's version and its
 * expiry (a removed record is a tombstone: no bytes, a version). Writes go through the member's
 * {@link WorkJournal}, which commits the rows of many callers in one transaction and keeps per key the
 * highest version.
 *
 * <p>Towards Hazelcast this is a loader only: the whole store is loaded when the cluster starts (EAGER,
 * {@link #loadAllKeys} and {@link #loadAll}, tombstones and expired rows skipped). After that, cluster memory
 * holds every record (each write changes memory before its row), so {@link #load} of a single key, which
 * Hazelcast calls on every miss (a get, a putIfAbsent of a new key), answers "absent" without a query: a
 * SELECT per miss cost about a third of Hazelcast's CPU per warning (a new dedup entry and the parked-receipt
 * check of each accepted part miss by design). Memory stops being complete when Hazelcast loses a partition
 * of the store (every replica of it was on members that left at once): from {@link #partitionLost} on, this
 * member's misses read the row by its primary key, as before, so a record the cluster lost comes back on
 * its next lookup. That stays so until the member restarts; it is logged once per store.
 *
 * <p>In that mode a record whose removal this member's journal has not committed yet is not read: its row
 * would bring it back. Another member's removal can race a miss for the milliseconds before its tombstone
 * commits; the stores' records tolerate that (a parked receipt is applied twice at worst, which changes
 * nothing; a purged job or warning is purged again; a stale dedup entry is settled as stale again).
 * Expired rows are deleted at the start of each initial load and by the journal's housekeeping.
 */
final class WorkEntryStore implements DurableWorkEntries {
    private static final Logger LOG = LoggerFactory.getLogger(WorkEntryStore.class);

    private final StoreContext context;
    private final WorkJournal journal;
    private final String storeName;
    /** Keys this member is removing (from before memory changed until the tombstone committed), with a count. */
    private final Map<String, Integer> removing = new ConcurrentHashMap<>();
    /** Whether misses read the database: from the first lost partition of this store on. */
    private final AtomicBoolean readOnMiss = new AtomicBoolean();

    WorkEntryStore(StoreContext context, WorkJournal journal, String storeName) {
        this.context = requireNonNull(context, "context");
        this.journal = requireNonNull(journal, "journal");
        this.storeName = requireNonNull(storeName, "storeName");
    }

    @Override
    public CompletableFuture<Void> write(List<WorkRow> rows) {
        return journal.write(storeName, rows);
    }

    @Override
    public void removing(String key, CompletableFuture<?> settled) {
        removing.merge(key, 1, Integer::sum);
        settled.whenComplete((ok, failed) -> removing.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1));
    }

    @Override
    public void partitionLost(int partitionId) {
        if (readOnMiss.compareAndSet(false, true)) {
            LOG.warn("work store {} lost partition {} (and maybe more): every replica was on members that left at once;"
                    + " from now on a miss of this store on this member reads the database, so the records lost from"
                    + " cluster memory come back as they are looked up (until this member restarts)", storeName, partitionId);
        }
    }

    /**
     * Absent while cluster memory is complete; once a partition was lost, the row of {@code key} by its primary
     * key, none while this member is removing it (see the class comment).
     */
    @Override
    public MetadataAwareValue<byte[]> load(String key) {
        if (!readOnMiss.get() || removing.containsKey(key)) {
            return null;
        }
        try (Connection c = context.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("SELECT value_bytes, version, expires_at FROM work_entry"
                     + " WHERE store_name = ? AND entry_key = ?")) {
            p.setString(1, storeName);
            p.setString(2, key);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next() || rs.getBytes(1) == null) {
                    return null;
                }
                byte[] value = VersionedValue.of(rs.getLong(2), rs.getBytes(1));
                Instant expires = Jdbc.instant(rs, 3);
                if (expires == null) {
                    return new MetadataAwareValue<>(value);
                }
                return expires.isAfter(Instant.now()) ? new MetadataAwareValue<>(value, expires.toEpochMilli()) : null;
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("loading " + storeName + "[" + key + "]", e);
        }
    }

    @Override
    public Map<String, MetadataAwareValue<byte[]>> loadAll(Collection<String> requested) {
        Map<String, MetadataAwareValue<byte[]>> result = new HashMap<>();
        // Hazelcast also calls this for the keys a bulk read (getAll) missed: a key this member is removing
        // must not come back from its row while its tombstone is not yet committed, as in load.
        Collection<String> keys = removing.isEmpty() ? requested
                : requested.stream().filter(k -> !removing.containsKey(k)).toList();
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
             PreparedStatement p = c.prepareStatement("SELECT entry_key, value_bytes, version, expires_at FROM work_entry"
                     + " WHERE store_name = ? AND entry_key = ANY(?) AND value_bytes IS NOT NULL")) {
            for (List<String> chunk : Jdbc.chunks(keys, context.batchSize())) {
                p.setString(1, storeName);
                p.setArray(2, Jdbc.keyArray(c, context.dialect(), chunk));
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        byte[] value = VersionedValue.of(rs.getLong(3), rs.getBytes(2));
                        Instant expires = Jdbc.instant(rs, 4);
                        if (expires == null) {
                            result.put(rs.getString(1), new MetadataAwareValue<>(value));
                        } else if (expires.isAfter(now)) {
                            result.put(rs.getString(1), new MetadataAwareValue<>(value, expires.toEpochMilli()));
                        }
                    }
                }
            }
        }
    }

    /** Deletes the expired rows first: Hazelcast's expiry does not reach the database. Tombstones are not keys. */
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
        return new StreamingKeys(context.dataSource(),
                "SELECT entry_key FROM work_entry WHERE store_name = ? AND value_bytes IS NOT NULL", storeName,
                context.fetchSize());
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
                Map<String, byte[]> rows = new LinkedHashMap<>();
                try (PreparedStatement p = c.prepareStatement(
                        "SELECT entry_key, value_class, value_json FROM durable_entry WHERE map_name = ?")) {
                    p.setString(1, legacyMapName);
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            rows.put(rs.getString(1),
                                    reencode(codec, legacyMapName, rs.getString(1), rs.getString(2), rs.getString(3)));
                        }
                    }
                }
                if (rows.isEmpty()) {
                    c.rollback();
                    return 0;
                }
                try (PreparedStatement p = c.prepareStatement(context.dialect().upsert("work_entry",
                        List.of("store_name", "entry_key"), List.of("value_bytes", "expires_at", "updated_at")))) {
                    for (List<Map.Entry<String, byte[]>> chunk : Jdbc.chunks(rows.entrySet(), context.batchSize())) {
                        for (Map.Entry<String, byte[]> r : chunk) {
                            p.setString(1, storeName);
                            p.setString(2, r.getKey());
                            p.setBytes(3, r.getValue());
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
}
