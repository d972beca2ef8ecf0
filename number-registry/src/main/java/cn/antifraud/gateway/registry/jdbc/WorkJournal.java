package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.work.WorkRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's journal of work-store writes: one thread commits the rows of every write waiting at the
 * moment in one transaction of {@code work_entry} upserts, and completes each write's future once its
 * transaction committed (or failed). Writes queue while a transaction runs, so the next one carries all of
 * them: with hundreds of writers in flight a commit serves hundreds of rows, where a write-through store
 * called per entry shares a commit among the few partition threads blocked at once.
 * A transaction starts at least {@link DatabaseConfig#minCommitInterval()} after the previous one started:
 * writes that come sooner wait for the rest of the interval (or until a batch is full), so a steady stream of
 * writes is committed in fewer, larger transactions; a write after a quiet spell is committed at once.
 *
 * <p><b>Order.</b> The stores change cluster memory before they write here, so two writes of one key may
 * arrive in the other order than memory changed (two threads, or two members with journals of their own).
 * Each row carries its record's version, and {@link SqlDialect#upsertIfNewer} replaces a stored row only by
 * a higher version; a removal is a tombstone row with its version, so a late, older write cannot bring the
 * record back. Within a transaction each key's highest version is written (PostgreSQL refuses one key twice in
 * one multi-row upsert), keys sorted, so concurrent transactions of several members lock rows in one order.
 *
 * <p><b>Failure</b> is handled as {@link DurableGroupCommit} does: a transaction of several writes that fails
 * for a reason a row may cause is rolled back and each write is retried alone, each getting its own outcome;
 * when the database cannot be reached, every write of the transaction fails at once.
 *
 * <p><b>Housekeeping.</b> At most once a {@link #HOUSEKEEPING_EVERY} between transactions, the thread deletes
 * tombstones older than {@link #TOMBSTONE_AGE} (far longer than any write waits here) and expired rows
 * (Hazelcast's expiry never reaches the database).
 */
final class WorkJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkJournal.class);
    /** How long a tombstone guards its key against late writes of older versions. */
    static final Duration TOMBSTONE_AGE = Duration.ofMinutes(5);
    private static final Duration HOUSEKEEPING_EVERY = Duration.ofMinutes(1);
    private static final List<String> KEY_COLUMNS = List.of("store_name", "entry_key");
    private static final List<String> VALUE_COLUMNS = List.of("value_bytes", "version", "expires_at", "updated_at");
    private static final List<String> COLUMN_TYPES = List.of("VARCHAR(100)", "VARCHAR(500)", "VARBINARY", "BIGINT",
            "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE");

    private final StoreContext context;
    private final String upsertSql;
    private final int maxRows;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    /** Writes not yet taken, in arrival order; guarded by {@link #lock}. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Guarded by {@link #lock}. */
    private boolean closed;
    /** Guarded by {@link #lock}. */
    private final DurableGroupCommit.Stats stats = new DurableGroupCommit.Stats();
    /** Rows of the writes in {@link #queue}; guarded by {@link #lock}. */
    private int queuedRows;
    private final long minIntervalNanos;
    private final LongSupplier nanoClock;
    /** When the last transaction's writes were taken; used by the writer thread only. */
    private long lastTake;
    private final Thread writer;
    /** Used by the writer thread only; the initial load has just deleted the expired rows. */
    private Instant nextHousekeeping = Instant.now().plus(HOUSEKEEPING_EVERY);

    /** @param minCommitInterval see {@link DatabaseConfig#minCommitInterval()}; zero commits whatever is queued at once */
    WorkJournal(StoreContext context, Duration minCommitInterval) {
        this(context, minCommitInterval, System::nanoTime);
    }

    /** As above, reading time from {@code nanoClock} (tests hold it still to see writes gather). */
    WorkJournal(StoreContext context, Duration minCommitInterval, LongSupplier nanoClock) {
        this.context = requireNonNull(context, "context");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock");
        this.minIntervalNanos = minCommitInterval.toNanos();
        this.lastTake = nanoClock.getAsLong() - minIntervalNanos;
        this.maxRows = context.batchSize();
        this.upsertSql = context.dialect().upsertIfNewer("work_entry", KEY_COLUMNS, VALUE_COLUMNS, "version",
                COLUMN_TYPES);
        this.writer = new Thread(this::run, "work-journal");
        // Daemon: a JVM that exits without closing the stores must not hang on this thread; writes still
        // queued then never completed, so none of their callers was told they were stored.
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Queues {@code rows} of work store {@code store}; the future completes once the transaction holding them
     * committed, on the journal's thread, or exceptionally with {@link DatabaseAccessException}.
     */
    CompletableFuture<Void> write(String store, List<WorkRow> rows) {
        requireNonNull(store, "store");
        if (rows.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Pending p = new Pending(store, List.copyOf(rows), new CompletableFuture<>());
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new DatabaseAccessException("writing " + rows.size()
                        + " records of work store " + store, new SQLException("the registry database is closed")));
            }
            queue.addLast(p);
            queuedRows += p.rows.size();
            // Wake the writer when it waits for a first write, or lingers and the batch is full.
            if (queue.size() == 1 || queuedRows >= maxRows) {
                queued.signal();
            }
        } finally {
            lock.unlock();
        }
        return p.done;
    }

    /** What the journal committed so far. */
    DurableCommitStats stats() {
        lock.lock();
        try {
            return stats.snapshot();
        } finally {
            lock.unlock();
        }
    }

    /** Commits what is queued, waiting up to {@code wait}, then stops the thread; later writes fail. */
    void close(Duration wait) {
        lock.lock();
        try {
            closed = true;
            queued.signal();
        } finally {
            lock.unlock();
        }
        try {
            writer.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.warn("work journal still committing after {}; its last writes may not be stored", wait);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private void run() {
        List<Pending> batch;
        while ((batch = take()) != null) {
            try {
                commit(batch);
            } catch (Error e) {
                // Keep the thread: if it died, every later write of the member would wait for ever.
                LOG.error("work journal: a transaction of {} writes failed with {}", batch.size(), e.toString());
                for (Pending p : batch) {
                    p.failure = new SQLException("the journal's transaction failed: " + e);
                }
            }
            for (Pending p : batch) {
                if (p.failure == null) {
                    p.done.complete(null);
                } else {
                    p.done.completeExceptionally(new DatabaseAccessException("writing " + p.rows.size()
                            + " records of work store " + p.store, p.failure));
                }
            }
            housekeepIfDue();
        }
    }

    /** The next writes, up to {@link #maxRows} rows (one larger write goes alone); null once closed and empty. */
    private List<Pending> take() {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                queued.awaitUninterruptibly();
            }
            // Writes arriving faster than one transaction per interval gather for the rest of it (or until
            // a batch is full): with WRITE_DELAY=0 H2 writes every touched page per commit.
            long earliest = lastTake + minIntervalNanos;
            long wait;
            while (!closed && (wait = earliest - nanoClock.getAsLong()) > 0 && queuedRows < maxRows) {
                try {
                    queued.awaitNanos(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            lastTake = nanoClock.getAsLong();
            List<Pending> batch = new ArrayList<>();
            int rows = 0;
            while (!queue.isEmpty() && (batch.isEmpty() || rows + queue.peekFirst().rows.size() <= maxRows)) {
                Pending p = queue.removeFirst();
                rows += p.rows.size();
                queuedRows -= p.rows.size();
                batch.add(p);
            }
            stats.batch(batch.size(), rows);
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Sets each write's failure, or none (see {@link BatchCommits}). */
    private void commit(List<Pending> batch) {
        if (BatchCommits.commit(batch, this::transaction, (p, failure) -> p.failure = failure, LOG, "work journal")) {
            lock.lock();
            try {
                stats.retried++;
            } finally {
                lock.unlock();
            }
        }
    }

    private void transaction(List<Pending> batch) throws SQLException {
        Map<String, Map<String, WorkRow>> newest = new TreeMap<>();
        for (Pending p : batch) {
            Map<String, WorkRow> rows = newest.computeIfAbsent(p.store, s -> new TreeMap<>());
            for (WorkRow r : p.rows) {
                rows.merge(r.key(), r, (a, b) -> b.version() > a.version() ? b : a);
            }
        }
        OffsetDateTime now = Jdbc.timestamp(Instant.now());
        try (Connection c = context.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement(upsertSql)) {
                int inBatch = 0;
                for (Map.Entry<String, Map<String, WorkRow>> store : newest.entrySet()) {
                    for (WorkRow r : store.getValue().values()) {
                        p.setString(1, store.getKey());
                        p.setString(2, r.key());
                        if (r.isTombstone()) {
                            p.setNull(3, Types.VARBINARY);
                        } else {
                            p.setBytes(3, r.value());
                        }
                        p.setLong(4, r.version());
                        if (r.expiresAt() == null) {
                            p.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
                        } else {
                            p.setObject(5, Jdbc.timestamp(r.expiresAt()));
                        }
                        p.setObject(6, now);
                        p.addBatch();
                        if (++inBatch == context.batchSize()) {
                            p.executeBatch();
                            inBatch = 0;
                        }
                    }
                }
                if (inBatch > 0) {
                    p.executeBatch();
                }
                c.commit();
                c.setAutoCommit(true);
            } catch (SQLException | RuntimeException e) {
                // Auto-commit stays off: the pool restores it, and a broken connection must not hide the failure.
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        }
    }

    private void housekeepIfDue() {
        Instant now = Instant.now();
        if (now.isBefore(nextHousekeeping)) {
            return;
        }
        nextHousekeeping = now.plus(HOUSEKEEPING_EVERY);
        try {
            int deleted = deleteSettled(now);
            if (deleted > 0) {
                LOG.debug("work journal: deleted {} tombstones and expired rows", deleted);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("work journal: deleting old tombstones and expired rows failed ({}); retried in {}", e.toString(),
                    HOUSEKEEPING_EVERY);
        }
    }

    /** Deletes tombstones older than {@link #TOMBSTONE_AGE} and expired rows, of every store; returns how many. */
    int deleteSettled(Instant now) throws SQLException {
        try (Connection c = context.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("DELETE FROM work_entry WHERE (value_bytes IS NULL AND updated_at < ?)"
                     + " OR expires_at <= ?")) {
            p.setObject(1, Jdbc.timestamp(now.minus(TOMBSTONE_AGE)));
            p.setObject(2, Jdbc.timestamp(now));
            return p.executeUpdate();
        }
    }

    /** One caller's rows and its future; {@link #failure} is set by the writer thread before completing. */
    private static final class Pending {
        final String store;
        final List<WorkRow> rows;
        final CompletableFuture<Void> done;
        SQLException failure;

        Pending(String store, List<WorkRow> rows, CompletableFuture<Void> done) {
            this.store = store;
            this.rows = rows;
            this.done = done;
        }
    }
}
