package cn.antifraud.gateway.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Versioned schema behaviour on every supported database. */
abstract class SchemaMigratorContract {

    abstract DatabaseConfig.Builder newDatabase();

    static HikariDataSource pool(DatabaseConfig config) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(config.jdbcUrl());
        pool.setUsername(config.user());
        pool.setPassword(config.password());
        pool.setMaximumPoolSize(2);
        return pool;
    }

    @Test
    void aSecondMigrationFindsNothingToDo() {
        DatabaseConfig config = newDatabase().build();
        try (HikariDataSource pool = pool(config)) {
            SchemaMigrator migrator = new SchemaMigrator(pool, config.dialect());
            assertEquals(0, migrator.currentVersion());
            assertEquals(migrator.latestVersion(), migrator.migrate());
            assertEquals(0, migrator.migrate());
            assertEquals(migrator.latestVersion(), migrator.currentVersion());
        }
    }

    @Test
    void reopeningTheStoresKeepsTheRows() {
        DatabaseConfig config = newDatabase().build();
        try (JdbcRegistryStores stores = JdbcRegistryStores.open(config)) {
            stores.fraudNumbers().storeAll(RegistryStoresContract.fraudNumbers(0, 10));
        }
        try (JdbcRegistryStores stores = JdbcRegistryStores.open(config)) {
            assertEquals(10, stores.fraudNumberCount());
        }
    }

    @Test
    void aDatabaseNewerThanTheCodeStopsStartupNamingBothVersions() throws SQLException {
        DatabaseConfig config = newDatabase().build();
        int latest;
        try (HikariDataSource pool = pool(config)) {
            SchemaMigrator migrator = new SchemaMigrator(pool, config.dialect());
            migrator.migrate();
            latest = migrator.latestVersion();
            execute(pool, "INSERT INTO schema_version (version, description, applied_at) VALUES ("
                    + (latest + 1) + ", 'from the future', CURRENT_TIMESTAMP)");
        }
        SchemaTooNewException e = assertThrows(SchemaTooNewException.class, () -> JdbcRegistryStores.open(config));
        assertTrue(e.getMessage().contains("version " + (latest + 1)), e.getMessage());
        assertTrue(e.getMessage().contains("up to " + latest), e.getMessage());
    }

    @Test
    void membersStartingAtOnceApplyEachMigrationOnce() throws Exception {
        DatabaseConfig config = newDatabase().build();
        int members = 4;
        ExecutorService threads = Executors.newFixedThreadPool(members);
        List<HikariDataSource> pools = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> applied = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                HikariDataSource pool = pool(config);
                pools.add(pool);
                applied.add(threads.submit(() -> {
                    go.await();
                    return new SchemaMigrator(pool, config.dialect()).migrate();
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : applied) {
                total += f.get(5, TimeUnit.MINUTES);
            }
            SchemaMigrator migrator = new SchemaMigrator(pools.get(0), config.dialect());
            assertEquals(migrator.latestVersion(), total);
            assertEquals(migrator.latestVersion(), count(pools.get(0), "SELECT COUNT(*) FROM schema_version"));
        } finally {
            threads.shutdownNow();
            pools.forEach(HikariDataSource::close);
        }
    }

    static void execute(HikariDataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static long count(HikariDataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
