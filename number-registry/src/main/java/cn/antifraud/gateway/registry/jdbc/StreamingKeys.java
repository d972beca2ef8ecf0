package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import javax.sql.DataSource;

/**
 * The keys of a table, read through a server-side cursor instead of into a list: what
 * {@code MapLoader.loadAllKeys()} returns so that 10 million keys never sit in memory at once.
 *
 * <p>Hazelcast's key loader iterates the {@code Iterable} once, sends the keys to their partitions in
 * chunks, and closes it afterwards when it is {@link Closeable} (Hazelcast 5.7
 * {@code MapKeyLoader}); the connection is held until then. PostgreSQL streams only when auto-commit
 * is off and a fetch size is set; H2 streams large results by itself.
 */
final class StreamingKeys implements Iterable<String>, Closeable {

    private final DataSource dataSource;
    private final String sql;
    private final String parameter;
    private final int fetchSize;
    private Connection connection;
    private PreparedStatement statement;
    private ResultSet rows;

    /** {@code sql} selects one string column; {@code parameter}, when not null, is bound to its one {@code ?}. */
    StreamingKeys(DataSource dataSource, String sql, String parameter, int fetchSize) {
        this.dataSource = requireNonNull(dataSource, "dataSource");
        this.sql = requireNonNull(sql, "sql");
        this.parameter = parameter;
        this.fetchSize = fetchSize;
    }

    @Override
    public synchronized Iterator<String> iterator() {
        close();
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(fetchSize);
            if (parameter != null) {
                statement.setString(1, parameter);
            }
            rows = statement.executeQuery();
        } catch (SQLException e) {
            close();
            throw new DatabaseAccessException("streaming keys (" + sql + ")", e);
        }
        return new RowIterator(rows);
    }

    /** Closes the cursor and returns the connection to the pool, even when the connection is broken. */
    @Override
    public synchronized void close() {
        SQLException failure = null;
        for (AutoCloseable resource : new AutoCloseable[] {rows, statement}) {
            failure = closeQuietly(resource, failure);
        }
        if (connection != null) {
            try {
                // Ends the read-only cursor transaction; the pool resets auto-commit and read-only itself.
                connection.rollback();
            } catch (SQLException e) {
                failure = e;
            }
            failure = closeQuietly(connection, failure);
        }
        rows = null;
        statement = null;
        connection = null;
        if (failure != null) {
            throw new DatabaseAccessException("closing the key stream", failure);
        }
    }

    private static SQLException closeQuietly(AutoCloseable resource, SQLException earlier) {
        if (resource == null) {
            return earlier;
        }
        try {
            resource.close();
            return earlier;
        } catch (SQLException e) {
            return earlier != null ? earlier : e;
        } catch (Exception e) {
            return earlier != null ? earlier : new SQLException(e.getMessage(), e);
        }
    }

    /** Closes the stream itself once exhausted, so a caller that only iterates leaks no connection. */
    private final class RowIterator implements Iterator<String> {
        private final ResultSet rows;
        private String next;
        private boolean done;

        RowIterator(ResultSet rows) {
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                try {
                    if (rows.next()) {
                        next = rows.getString(1);
                    } else {
                        done = true;
                        close();
                    }
                } catch (SQLException e) {
                    throw new DatabaseAccessException("reading the key stream", e);
                }
            }
            return next != null;
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String result = next;
            next = null;
            return result;
        }
    }
}
