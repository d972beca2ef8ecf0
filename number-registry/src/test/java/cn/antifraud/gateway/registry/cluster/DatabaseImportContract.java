package cn.antifraud.gateway.registry.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.AuditRecord;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.ImportResult;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.jdbc.DatabaseAccessException;
import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.registry.jdbc.JdbcRegistryStores;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bulk import as the gateway runs it: a member written through to a real database, each batch committed
 * ahead of the map ({@code CommitAheadStore}) and then put with {@code setAll}. What an import that reports
 * success must leave (every row in the database and in the cluster, each row written once on a one-member
 * cluster), what a re-import leaves, and what a batch the database refuses leaves. Run per database by
 * its subclasses.
 */
abstract class DatabaseImportContract {

    /** Rows per import batch. */
    private static final int BATCH = HazelcastNumberRegistry.IMPORT_BATCH;
    /** Three batches, the last one partial. */
    private static final int ROWS = 2 * BATCH + BATCH / 2;

    private final List<RegistryMember> members = new ArrayList<>();
    private final List<JdbcRegistryStores> pools = new ArrayList<>();

    /** A config for a new, empty database. */
    abstract DatabaseConfig.Builder newDatabase() throws Exception;

    @AfterEach
    void stop() {
        TestClusters.closeAll(members);
        pools.forEach(JdbcRegistryStores::close);
    }

    @Test
    void anImportIsInTheDatabaseAndTheMapAndEachRowIsWrittenOnce() throws Exception {
        HazelcastNumberRegistry registry = cluster(newDatabase().build(), 1).get(0);
        Map<Long, FraudNumber> rows = rows(ROWS, i -> "CASE-" + i);

        ImportResult result = registry.importFraudNumbers(rows.values().iterator(), "importer");

        assertEquals(new ImportResult(ROWS, ROWS, 0, List.of()), result);
        assertEverywhere(rows);
        // One storeNew per batch stamps all its rows with one updated_at; a second write by the map's
        // write-through would stamp them again, later, one partition at a time.
        assertEquals(3, scalar("SELECT COUNT(DISTINCT updated_at) FROM fraud_number"),
                "one database write per batch, none by the write-through");
    }

    @Test
    void reimportingAFileStoresItAgainAndChangedRowsTakeTheirNewValues() throws Exception {
        HazelcastNumberRegistry registry = cluster(newDatabase().build(), 1).get(0);
        Map<Long, FraudNumber> first = rows(ROWS, i -> "CASE-" + i);
        registry.importFraudNumbers(first.values().iterator(), "importer");

        ImportResult again = registry.importFraudNumbers(first.values().iterator(), "importer");
        assertEquals(ROWS, again.stored());
        assertEverywhere(first);

        // The same file edited: every third row has a new case reference.
        Map<Long, FraudNumber> edited = rows(ROWS, i -> i % 3 == 0 ? "EDITED-" + i : "CASE-" + i);
        assertEquals(ROWS, registry.importFraudNumbers(edited.values().iterator(), "importer").stored());
        assertEverywhere(edited);
    }

    @Test
    void aNumberListedTwiceInConsecutiveBatchesEndsWithItsLaterRowInTheMapAndTheDatabase() throws Exception {
        HazelcastNumberRegistry registry = cluster(newDatabase().build(), 1).get(0);
        Map<Long, FraudNumber> rows = rows(ROWS, i -> "CASE-" + i);
        List<FraudNumber> input = new ArrayList<>(rows.values());
        // A row of the second batch repeats one of the first, and a row of the third the last of the second, with
        // new values: a batch is committed while the one before it may still be entering the map.
        FraudNumber first = input.get(10);
        FraudNumber later = new FraudNumber(first.number(), FraudType.ROMANCE, "LATER", Records.T0, null, true);
        input.set(BATCH + 500, later);
        FraudNumber third = input.get(2 * BATCH - 1);
        FraudNumber laterStill = new FraudNumber(third.number(), FraudType.ROMANCE, "LATER-STILL", Records.T0, null, true);
        input.set(2 * BATCH + 100, laterStill);
        Map<Long, FraudNumber> expected = new LinkedHashMap<>();
        input.forEach(f -> expected.put(RegistryMember.fraudNumberKey(f.number()), f));

        ImportResult result = registry.importFraudNumbers(input.iterator(), "importer");

        assertEquals(ROWS, result.stored(), "every row read is stored, the repeated ones twice");
        assertEquals(later, expected.get(RegistryMember.fraudNumberKey(first.number())));
        assertEverywhere(expected);
    }

    @Test
    void aBatchTheDatabaseRefusesEndsTheImportWithTheBatchesBeforeItStoredAndNothingAfter() throws Exception {
        HazelcastNumberRegistry registry = cluster(newDatabase().build(), 1).get(0);
        execute("ALTER TABLE fraud_number ADD CONSTRAINT test_refuses_poison CHECK (case_reference <> 'POISON')");
        // A row of the third batch is refused by the database, not by the parser.
        Map<Long, FraudNumber> rows = rows(ROWS, i -> i == 2 * BATCH + 99 ? "POISON" : "CASE-" + i);
        List<Long> progress = new ArrayList<>();

        DatabaseAccessException e = assertThrows(DatabaseAccessException.class, () -> registry.importFraudNumbers("poisoned",
                rows.values().iterator(), "importer", (read, stored, rejected, errors) -> progress.add(stored)));

        assertTrue(e.getMessage().contains("fraud_number"), e.getMessage());
        assertEquals(List.of((long) BATCH, 2L * BATCH), progress, "two batches reported stored");
        Map<Long, FraudNumber> stored = new LinkedHashMap<>();
        rows.entrySet().stream().limit(2 * BATCH).forEach(r -> stored.put(r.getKey(), r.getValue()));
        assertEverywhere(stored);
        List<AuditRecord> audit = registry.audit(0, 10).items();
        assertEquals(List.of("IMPORT_START", "IMPORT"), audit.stream().map(AuditRecord::action).toList());
        assertTrue(audit.get(1).after().contains("\"stored\":" + 2 * BATCH), audit.get(1).after());
    }

    @Test
    void anImportOnOneOfTwoMembersReachesTheOtherMembersPartitionsAndTheDatabase() throws Exception {
        // Each member has its own pool, as in production: the other member's store has not seen the
        // batches committed ahead and writes its partitions' rows again, with the same values.
        List<HazelcastNumberRegistry> registries = cluster(newDatabase().build(), 2);
        Map<Long, FraudNumber> rows = rows(ROWS, i -> "CASE-" + i);

        assertEquals(ROWS, registries.get(0).importFraudNumbers(rows.values().iterator(), "importer").stored());

        assertEverywhere(rows);
        for (Map.Entry<Long, FraudNumber> r : rows.entrySet()) {
            assertEquals(r.getValue(), members.get(1).fraudNumbers().get(r.getKey()), "seen from the second member");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /** {@code size} members, each with its own pool to {@code database}, and a registry on each. */
    private List<HazelcastNumberRegistry> cluster(DatabaseConfig database, int size) {
        List<RegistryConfig> configs = TestClusters.configs(size);
        List<HazelcastNumberRegistry> registries = new ArrayList<>();
        for (RegistryConfig config : configs) {
            JdbcRegistryStores stores = JdbcRegistryStores.open(database);
            pools.add(stores);
            RegistryMember member = RegistryMember.start(config, stores);
            members.add(member);
            registries.add(new HazelcastNumberRegistry(member, stores.audit(), stores.listings(), stores.fraudNumbers()));
        }
        return registries;
    }

    /** Rows {@code 137xxxxxxxx} in input order, keyed as the map keys them. */
    private static Map<Long, FraudNumber> rows(int count, IntFunction<String> caseReference) {
        Map<Long, FraudNumber> rows = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            FraudNumber f = new FraudNumber(PhoneNumbers.parse(String.format("137%08d", i)), FraudType.FAKE_LOAN,
                    caseReference.apply(i), Records.T0, null, i % 2 == 0);
            rows.put(RegistryMember.fraudNumberKey(f.number()), f);
        }
        return rows;
    }

    /** Exactly {@code rows} in the map and in the table, with equal values in both. */
    private void assertEverywhere(Map<Long, FraudNumber> rows) throws SQLException {
        RegistryMember member = members.get(0);
        assertEquals(rows.size(), member.fraudNumbers().size(), "entries in the map");
        assertEquals(rows.size(), scalar("SELECT COUNT(*) FROM fraud_number"), "rows in the table");
        Map<String, FraudNumber> inTable = pools.get(0).fraudNumbers().loadAll(
                rows.values().stream().map(f -> f.number().e164()).toList());
        for (Map.Entry<Long, FraudNumber> r : rows.entrySet()) {
            assertEquals(r.getValue(), member.fraudNumbers().get(r.getKey()), "in the map: " + r.getValue().number());
            assertEquals(r.getValue(), inTable.get(r.getValue().number().e164()), "in the table: " + r.getValue().number());
        }
        assertNull(member.fraudNumbers().get(RegistryMember.fraudNumberKey(PhoneNumbers.parse("13799999999"))));
    }

    private long scalar(String sql) throws SQLException {
        try (Connection c = pools.get(0).dataSource().getConnection();
             PreparedStatement p = c.prepareStatement(sql);
             ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = pools.get(0).dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
