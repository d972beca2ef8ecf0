package cn.antifraud.gateway.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.work.VersionedValue;
import cn.antifraud.gateway.registry.work.WorkCodec;
import cn.antifraud.gateway.registry.work.WorkRow;
import cn.antifraud.gateway.registry.work.WorkStoreSpec;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

    @Test
    void aWorkRowWrittenBeforeVersionsIsKeptByTheUpgradeAsVersionZero() throws Exception {
        DatabaseConfig config = newDatabase().build();
        List<Migration> all = Migration.loadAll(getClass().getClassLoader());
        try (HikariDataSource pool = pool(config)) {
            assertEquals(3, new SchemaMigrator(pool, config.dialect(), all.subList(0, 3)).migrate(), "up to V3 only");
            try (Connection c = pool.getConnection();
                 PreparedStatement p = c.prepareStatement("INSERT INTO work_entry (store_name, entry_key,"
                         + " value_bytes, expires_at, updated_at) VALUES ('sms-jobs', 'job-1', ?, NULL, ?)")) {
                p.setBytes(1, new byte[] {1, 2, 3});
                p.setObject(2, Jdbc.timestamp(Instant.now()));
                p.executeUpdate();
            }
        }
        try (JdbcRegistryStores stores = JdbcRegistryStores.open(config)) {
            var entries = stores.work(WorkStoreSpec.durable("sms-jobs",
                    new WorkCodec<byte[]>() {
                        @Override
                        public byte[] encode(byte[] value) {
                            return value;
                        }

                        @Override
                        public byte[] decode(byte[] data) {
                            return data;
                        }
                    }));
            byte[] loaded = entries.loadAll(List.of("job-1")).get("job-1").getValue();
            assertEquals(0, VersionedValue.version(loaded), "an old row is version 0");
            assertTrue(Arrays.equals(new byte[] {1, 2, 3}, VersionedValue.payload(loaded)));
            entries.write(List.of(WorkRow.record("job-1", 1, new byte[] {4}, null))).join();
            // loadAll reads the rows (a single-key load answers from cluster memory while no partition was lost).
            byte[] replaced = entries.loadAll(List.of("job-1")).get("job-1").getValue();
            assertTrue(Arrays.equals(new byte[] {4}, VersionedValue.payload(replaced)),
                    "any versioned write replaces it");
        }
    }

    @Test
    void housekeepingDeletesTombstonesOnlyOnceTheyAreOldAndExpiredRows() throws Exception {
        DatabaseConfig config = newDatabase().build();
        try (JdbcRegistryStores stores = JdbcRegistryStores.open(config);
             WorkJournal journal = new WorkJournal(new StoreContext(stores.dataSource(), config.dialect(), 100, 100,
                     StoreContext.loadPermits(4)), Duration.ZERO)) {
            Instant now = Instant.now();
            journal.write("s", List.of(WorkRow.tombstone("removed", 5),
                    WorkRow.record("expired", 1, new byte[] {1}, now.minusSeconds(1)),
                    WorkRow.record("live", 1, new byte[] {2}, now.plusSeconds(3600)))).join();
            assertEquals(1, journal.deleteSettled(now), "the expired row; the tombstone is new");
            assertEquals(2, countWork(stores));
            assertEquals(1, journal.deleteSettled(now.plus(WorkJournal.TOMBSTONE_AGE).plusSeconds(1)), "the old tombstone");
            assertEquals(1, countWork(stores), "the live row stays");
        }
    }

    /**
     * Writes that come within the minimum commit interval of the last transaction wait for its end and share
     * one transaction. The journal's clock is held still, so nothing here depends on how fast the machine is:
     * without the interval, the first of the ten writes would be committed alone as soon as it came.
     */
    @Test
    void writesWithinTheMinimumCommitIntervalShareOneTransaction() throws Exception {
        DatabaseConfig config = newDatabase().build();
        AtomicLong nanos = new AtomicLong();
        Duration interval = Duration.ofMillis(20);
        try (JdbcRegistryStores stores = JdbcRegistryStores.open(config);
             WorkJournal journal = new WorkJournal(new StoreContext(stores.dataSource(), config.dialect(), 1_000, 100,
                     StoreContext.loadPermits(4)), interval, nanos::get)) {
            journal.write("s", List.of(WorkRow.record("first", 1, new byte[] {0}, null))).join();
            assertEquals(1, journal.stats().batches(), "a write after a quiet spell is committed at once");
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                writes.add(journal.write("s", List.of(WorkRow.record("k" + i, 1, new byte[] {(byte) i}, null))));
            }
            assertEquals(1, journal.stats().batches(), "the interval has not passed on the journal's clock");
            nanos.addAndGet(interval.toNanos());
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
            assertEquals(2, journal.stats().batches(), "the ten writes in one transaction");
            assertEquals(11, countWork(stores), "every write is stored");
        }
    }

    private static int countWork(JdbcRegistryStores stores) throws SQLException {
        try (Connection c = stores.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM work_entry")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
