package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import javax.sql.DataSource;

/**
 * What every store shares: the pool, the dialect, the batch sizes and the bound on concurrent loads.
 *
 * @param dataSource the connection pool
 * @param dialect    the database's SQL dialect
 * @param batchSize  rows per JDBC batch and keys per {@code = ANY(?)} query
 * @param fetchSize  rows per round trip when streaming keys
 * @param loads      permits for {@code loadAll} calls running at once
 */
record StoreContext(DataSource dataSource, SqlDialect dialect, int batchSize, int fetchSize, Semaphore loads) {
    StoreContext {
        requireNonNull(dataSource, "dataSource");
        requireNonNull(dialect, "dialect");
        requireNonNull(loads, "loads");
    }

    /**
     * Bounds loads to the pool size less two connections: one for the key stream of a reload, one so
     * that write-through and audit appends still get a connection while a reload runs. Hazelcast runs
     * {@code loadAll} on its {@code hz:map-load} executor (16 threads unless configured); without this
     * bound the surplus threads would wait in the pool and fail after its connection timeout, leaving
     * the map partly loaded.
     */
    static Semaphore loadPermits(int poolSize) {
        return new Semaphore(Math.max(1, poolSize - 2), true);
    }

    /** Runs a load under a permit; waiting for one is not bounded by the pool's connection timeout. */
    <T> T underLoadPermit(String what, LoadCall<T> call) throws SQLException {
        try {
            loads.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted while waiting for a database connection", e);
        }
        try {
            return call.run();
        } finally {
            loads.release();
        }
    }

    /** A load that may throw {@link SQLException}. */
    @FunctionalInterface
    interface LoadCall<T> {
        T run() throws SQLException;
    }
}
