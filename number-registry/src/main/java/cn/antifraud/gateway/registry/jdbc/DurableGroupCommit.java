package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of the durable write-through stores (the {@code durable.*} maps' {@code durable_entry}
 * rows; the work stores have their own journal, {@link WorkJournal}): the writes of every caller waiting at
 * the same moment go to {@code durable_entry} in one transaction, so one commit (one WAL flush on
 * PostgreSQL, one file write on H2) serves them all instead of one each.
 *
 * <p><b>Durability is unchanged.</b> {@link #write} returns only after the transaction holding the
 * caller's rows has committed, and throws when it did not: a write-through put that returned is in
 * the database, as before. A caller's own rows (one {@code storeAll}) always share one transaction.
 *
 * <p><b>Who commits.</b> The callers themselves, leader/follower style: a caller that finds no batch
 * in flight becomes the leader, takes everything queued (its own write included) and commits it;
 * callers arriving meanwhile queue and wait, and when the leader's own write has committed the oldest
 * queued caller leads the next batch. Each waiting caller is woken once, by name. The
 * callers are Hazelcast partition threads that block until their write is durable anyway, so a
 * separate committer thread would add only a hand-off (two context switches per write on a 2-core
 * node) and a thread to size and stop. No Netty event loop ever calls a MapStore. A leader returns
 * as soon as its own write has committed and hands leadership on, so no partition thread commits for
 * others for longer than one batch after its own.
 *
 * <p><b>One batch in flight.</b> Batches commit one after another, in the order their writes
 * arrived. That is the order Hazelcast gave them: a key's writes come from its partition thread, which
 * blocks on each. Within a batch the last write of a key wins (a delete, or an upsert with its value):
 * all of a batch's rows become visible at once, so applying only each key's last write gives exactly
 * the state of applying them all in arrival order, and it keeps one key out of one multi-row
 * {@code INSERT ... ON CONFLICT} twice, which PostgreSQL refuses.
 *
 * <p><b>Bounded.</b> A batch takes whole writes up to {@link StoreContext#batchSize()} rows (one
 * write larger than that goes alone): the rows of one JDBC batch, the bound the stores already use,
 * and far above what the member's 16 partition threads queue at once. The queue holds at most one
 * write per blocked caller.
 *
 * <p><b>Failure.</b> When a batch of several writes fails in the database it is rolled back and each
 * of its writes is retried alone, in arrival order, each caller getting its own outcome. Failing them
 * all instead would make one bad row (a key over the column's 500 characters, text PostgreSQL
 * refuses) fail every unrelated put that happened to share its transaction, and since Hazelcast does
 * not retry a failed write-through store those puts would fail for their callers. Retrying is safe:
 * the batch committed nothing, and should its commit have reached the server before an error, the
 * retries write the same final values again, before any later batch. When the database cannot be
 * reached at all ({@link BatchCommits#rowMayBeAtFault}) the whole batch fails at once instead. A write that
 * fails fails its caller with {@link DatabaseAccessException}, and Hazelcast fails the map
 * operation, as before.
 */
final class DurableGroupCommit {

    private static final Logger LOG = LoggerFactory.getLogger(DurableGroupCommit.class);
    private static final String DELETE_SQL = "DELETE FROM durable_entry WHERE map_name = ? AND entry_key = ANY(?)";

    private final StoreContext context;
    private final String upsertSql;
    private final int maxRows;

    private final ReentrantLock lock = new ReentrantLock();
    /** Writes not yet taken by a leader, in arrival order; guarded by {@link #lock}. */
    private final ArrayDeque<Write> queue = new ArrayDeque<>();
    /** Whether some caller is leading; guarded by {@link #lock}. */
    private boolean leading;
    /** Counters; guarded by {@link #lock}. */
    private final Stats stats = new Stats();

    DurableGroupCommit(StoreContext context) {
        this.context = requireNonNull(context, "context");
        this.maxRows = context.batchSize();
        this.upsertSql = context.dialect().upsert("durable_entry", List.of("map_name", "entry_key"),
                List.of("value_class", "value_json", "updated_at"));
    }

    /**
     * Writes {@code rows} in one transaction shared with whatever other callers are waiting, and returns
     * once it committed. Interrupts are not honoured while waiting (the outcome must be known before
     * returning); the interrupt status is kept.
     *
     * @param what names the write in the exception, e.g. "storing 1 entries of durable.sms-jobs"
     * @throws DatabaseAccessException when the transaction holding these rows did not commit
     */
    void write(String what, List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Write mine = new Write(rows, Thread.currentThread());
        boolean lead;
        lock.lock();
        try {
            queue.addLast(mine);
            lead = !leading;
            leading = true;
        } finally {
            lock.unlock();
        }
        if (!lead) {
            awaitDoneOrPromoted(mine);
        }
        if (!mine.done) {
            lead(mine);
        }
        if (mine.failure != null) {
            throw new DatabaseAccessException(what, mine.failure);
        }
    }

    /**
     * Each waiting caller is woken once, by name, when its batch committed or when leadership passes to
     * it: with 16 partition threads waiting, waking them all at every batch (a shared condition) would
     * cost more CPU than the commits it saves on a 2-core node.
     */
    private static void awaitDoneOrPromoted(Write mine) {
        boolean interrupted = false;
        while (!mine.done && !mine.promoted) {
            LockSupport.park(mine);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Commits batches until {@code mine} is among the committed ones, then hands leadership on. */
    private void lead(Write mine) {
        List<Write> batch = List.of();
        try {
            while (!mine.done) {
                batch = take();
                commit(batch);
                finish(batch, mine);
                batch = List.of();
            }
        } catch (Error e) {
            // Only an Error gets here (commit catches the rest); the batch's callers must not wait for ever.
            for (Write w : batch) {
                w.failure = new SQLException("group commit abandoned: the committing thread failed with " + e);
            }
            lock.lock();
            try {
                queue.remove(mine); // its caller gets the Error: its rows must not be written later
            } finally {
                lock.unlock();
            }
            mine.done = true;
            finish(batch, mine);
            throw e;
        }
    }

    private List<Write> take() {
        lock.lock();
        try {
            List<Write> batch = new ArrayList<>();
            int rows = 0;
            while (!queue.isEmpty() && (batch.isEmpty() || rows + queue.peekFirst().rows.size() <= maxRows)) {
                Write w = queue.removeFirst();
                rows += w.rows.size();
                batch.add(w);
            }
            stats.batch(batch.size(), rows);
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Publishes the outcomes of {@code batch}, wakes its callers and, once the leader's own write is
     * done, passes leadership to the oldest queued write (or none when the queue is empty).
     */
    private void finish(List<Write> batch, Write leader) {
        Write next = null;
        lock.lock();
        try {
            for (Write w : batch) {
                w.done = true;
            }
            if (leader.done) {
                next = queue.peekFirst();
                if (next == null) {
                    leading = false;
                } else {
                    next.promoted = true;
                }
            }
        } finally {
            lock.unlock();
        }
        for (Write w : batch) {
            if (w != leader) {
                LockSupport.unpark(w.caller);
            }
        }
        if (next != null) {
            LockSupport.unpark(next.caller);
        }
    }

    /** Sets every write's failure, or none, as described in the class comment. */
    private void commit(List<Write> batch) {
        if (BatchCommits.commit(batch, this::transaction, (w, failure) -> w.failure = failure, LOG, "durable group commit")) {
            lock.lock();
            try {
                stats.retried++;
            } finally {
                lock.unlock();
            }
        }
    }

    /** One transaction: each key's last write in the batch, deletes then upserts, keys in a fixed order. */
    private void transaction(List<Write> batch) throws SQLException {
        // Sorted by map, then key: concurrent batches of other members then lock shared rows in one order.
        Map<String, Map<String, Row>> last = new TreeMap<>();
        for (Write w : batch) {
            for (Row r : w.rows) {
                last.computeIfAbsent(r.mapName(), m -> new TreeMap<>()).put(r.key(), r);
            }
        }
        Map<String, List<String>> deletes = new HashMap<>();
        List<Row> upserts = new ArrayList<>();
        for (Map<String, Row> rows : last.values()) {
            for (Row r : rows.values()) {
                if (r.isDelete()) {
                    deletes.computeIfAbsent(r.mapName(), m -> new ArrayList<>()).add(r.key());
                } else {
                    upserts.add(r);
                }
            }
        }
        try (Connection c = context.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!deletes.isEmpty()) {
                    delete(c, deletes);
                }
                if (!upserts.isEmpty()) {
                    upsert(c, upserts);
                }
                c.commit();
                c.setAutoCommit(true);
            } catch (SQLException | RuntimeException e) {
                // Auto-commit is left off: the pool restores it when the connection comes back, and a
                // broken connection must not turn the batch's failure into a setAutoCommit failure.
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        }
    }

    private void delete(Connection c, Map<String, List<String>> keysByMap) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(DELETE_SQL)) {
            for (Map.Entry<String, List<String>> e : keysByMap.entrySet()) {
                for (List<String> chunk : Jdbc.chunks(e.getValue(), context.batchSize())) {
                    p.setString(1, e.getKey());
                    p.setArray(2, Jdbc.keyArray(c, context.dialect(), chunk));
                    p.executeUpdate();
                }
            }
        }
    }

    private void upsert(Connection c, List<Row> rows) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(upsertSql)) {
            for (List<Row> chunk : Jdbc.chunks(rows, context.batchSize())) {
                for (Row r : chunk) {
                    p.setString(1, r.mapName());
                    p.setString(2, r.key());
                    p.setString(3, r.valueClass());
                    p.setString(4, r.json());
                    p.setObject(5, Jdbc.timestamp(r.at()));
                    p.addBatch();
                }
                p.executeBatch();
            }
        }
    }

    /** What has been committed so far. */
    DurableCommitStats stats() {
        lock.lock();
        try {
            return stats.snapshot();
        } finally {
            lock.unlock();
        }
    }

    /** Writes waiting for a leader; for tests that line writes up behind a blocked batch. */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * One row of a write: an upsert of {@code json} (of class {@code valueClass}) into {@code durable_entry}, or a
     * delete when it carries no value. The value is encoded by the caller, so a value that cannot be written
     * fails its own caller before it joins a batch.
     */
    record Row(String mapName, String key, String valueClass, String json, Instant at) {
        Row {
            requireNonNull(mapName, "mapName");
            requireNonNull(key, "key");
            if ((valueClass == null) != (json == null)) {
                throw new IllegalArgumentException("an upsert needs both class and JSON, a delete neither");
            }
        }

        static Row upsert(String mapName, String key, String valueClass, String json, Instant at) {
            return new Row(mapName, key, requireNonNull(valueClass, "valueClass"), requireNonNull(json, "json"),
                    requireNonNull(at, "at"));
        }

        static Row delete(String mapName, String key) {
            return new Row(mapName, key, null, null, null);
        }

        boolean isDelete() {
            return valueClass == null;
        }
    }

    /** One caller's rows and, once {@link #done}, its outcome. */
    private static final class Write {
        final List<Row> rows;
        final Thread caller;
        /** Set by the leader before {@link #done}, read by the caller after it. */
        volatile SQLException failure;
        /** The transaction holding these rows ended; {@link #failure} says how. */
        volatile boolean done;
        /** The caller leads the next batch. */
        volatile boolean promoted;

        Write(List<Row> rows, Thread caller) {
            this.rows = List.copyOf(rows);
            this.caller = caller;
        }
    }

    /** Counters behind {@link DurableCommitStats}; also the work journal's. */
    static final class Stats {
        long batches;
        long writes;
        long rows;
        long retried;
        int largest;
        final long[] sizes = new long[DurableCommitStats.SIZE_BUCKETS.length];

        void batch(int writeCount, int rowCount) {
            batches++;
            writes += writeCount;
            rows += rowCount;
            largest = Math.max(largest, writeCount);
            sizes[DurableCommitStats.bucket(writeCount)]++;
        }

        DurableCommitStats snapshot() {
            return new DurableCommitStats(batches, writes, rows, retried, largest, sizes.clone());
        }
    }
}
