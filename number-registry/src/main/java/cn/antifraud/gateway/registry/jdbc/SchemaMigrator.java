package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database to the schema version this code was built for, at startup.
 *
 * <p>The applied version is kept in {@code schema_version} (one row per migration). Pending
 * migrations run in order; each is recorded in the same transaction as its statements, so on
 * PostgreSQL (transactional DDL) a failed migration leaves nothing behind. Several members starting
 * at once against one PostgreSQL serialise on a session advisory lock: the first applies, the others
 * then find nothing to do. An H2 file is opened by one process at a time, so a JVM-wide lock is
 * enough there. A database newer than the code stops startup ({@link SchemaTooNewException}).
 */
public final class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    /** Arbitrary, fixed: the advisory lock id all gateway members agree on ("antifraud" in ASCII, truncated). */
    static final long POSTGRES_LOCK_ID = 0x616e7469667261L;
    private static final ReentrantLock H2_LOCK = new ReentrantLock();

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final List<Migration> migrations;

    public SchemaMigrator(DataSource dataSource, SqlDialect dialect) {
        this(dataSource, dialect, Migration.loadAll(SchemaMigrator.class.getClassLoader()));
    }

    SchemaMigrator(DataSource dataSource, SqlDialect dialect, List<Migration> migrations) {
        this.dataSource = requireNonNull(dataSource, "dataSource");
        this.dialect = requireNonNull(dialect, "dialect");
        this.migrations = List.copyOf(migrations);
    }

    /** The version this code expects. */
    public int latestVersion() {
        return migrations.size();
    }

    /**
     * Applies every pending migration.
     *
     * @return the number of migrations applied by this call (0 when the schema was current)
     * @throws SchemaTooNewException when the database is ahead of the code
     */
    public int migrate() {
        try (Connection c = dataSource.getConnection()) {
            lock(c);
            try {
                return applyPending(c);
            } finally {
                unlock(c);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("schema migration failed: " + e.getMessage(), e);
        }
    }

    /** The version recorded in the database, 0 for an empty database (whose empty version table this creates). */
    public int currentVersion() {
        try (Connection c = dataSource.getConnection()) {
            createVersionTable(c);
            return readVersion(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the schema version: " + e.getMessage(), e);
        }
    }

    private int applyPending(Connection c) throws SQLException {
        createVersionTable(c);
        int current = readVersion(c);
        if (current > latestVersion()) {
            throw new SchemaTooNewException(current, latestVersion());
        }
        int applied = 0;
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (Migration m : migrations.subList(current, migrations.size())) {
                apply(c, m);
                applied++;
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return applied;
    }

    private void apply(Connection c, Migration m) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : m.statements()) {
                s.execute(sql);
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                p.setInt(1, m.version());
                p.setString(2, m.description());
                p.setObject(3, Jdbc.timestamp(Instant.now()));
                p.executeUpdate();
            }
            c.commit();
            LOG.info("applied registry schema migration {} ({})", m.version(), m.fileName());
        } catch (SQLException e) {
            c.rollback();
            throw new SQLException("migration " + m.fileName() + " failed: " + e.getMessage(), e.getSQLState(), e);
        }
    }

    private static void createVersionTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, "
                    + "description VARCHAR(200) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    private static int readVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void lock(Connection c) throws SQLException {
        if (dialect == SqlDialect.POSTGRESQL) {
            try (PreparedStatement p = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
                p.setLong(1, POSTGRES_LOCK_ID);
                p.execute();
            }
        } else {
            H2_LOCK.lock();
        }
    }

    private void unlock(Connection c) throws SQLException {
        if (dialect == SqlDialect.POSTGRESQL) {
            try (PreparedStatement p = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                p.setLong(1, POSTGRES_LOCK_ID);
                p.execute();
            }
        } else {
            H2_LOCK.unlock();
        }
    }
}
