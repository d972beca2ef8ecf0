package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import javax.sql.DataSource;

/**
 * What every store shares: the pool, the dialect and the batch sizes.
 *
 * @param dataSource the connection pool
 * @param dialect    the database's SQL dialect
 * @param batchSize  rows per JDBC batch and keys per {@code = ANY(?)} query
 * @param fetchSize  rows per round trip when streaming keys
 */
record StoreContext(DataSource dataSource, SqlDialect dialect, int batchSize, int fetchSize) {
    StoreContext {
        requireNonNull(dataSource, "dataSource");
        requireNonNull(dialect, "dialect");
    }
}
