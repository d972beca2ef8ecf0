package cn.antifraud.gateway.registry.work;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.cluster.RegistryMember;
import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.registry.jdbc.DurableCommitStats;
import cn.antifraud.gateway.registry.jdbc.JdbcRegistryStores;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A durable work store on a real registry member written through to a real database: what a write
 * returned for is in its row (the codec's bytes, the expiry), a whole cluster restart reloads it, a batch
 * create is one transaction, concurrent updates lose nothing, and the previous release's rows are taken over.
 * The journal's ordering: an older row committed after a newer one does not win, a removal (tombstone) is not
 * undone by a late write and is not loaded, a record created again after its removal is reloaded.
 */
abstract class WorkStoreContract {
    static final WorkStoreSpec<String> WORDS = WorkStoreSpec.durable("words", WorkCodec.utf8())
            .upgradingFrom("durable.legacy-words", Duration.ofHours(1));
    static final WorkStoreSpec<Long> COUNTERS = WorkStoreSpec.durable("counters", LongCodec.INSTANCE);
    static final List<WorkStoreSpec<?>> SPECS = List.of(WORDS, COUNTERS);
    /** Generous: only a hang guard, never a measurement. */
    private static final long HANG_GUARD_SECONDS = 300;

    JdbcRegistryStores stores;
    private final List<RegistryMember> members = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    /** A config for a new, empty database. */
    abstract DatabaseConfig.Builder newDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        stores = JdbcRegistryStores.open(newDatabase().poolSize(20).build());
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        members.forEach(RegistryMember::close);
        stores.close();
    }

    private WorkStores startMember() {
        RegistryMember m = TestMembers.start(1, stores, SPECS).get(0);
        members.add(m);
        return m.workStores();
    }

    private void stopMembers() {
        members.forEach(RegistryMember::close);
        members.clear();
    }

    @Test
    void whatWasWrittenIsReloadedAfterAFullRestartWithItsExpiry() throws Exception {
        WorkStore<String> words = startMember().open(WORDS);
        words.create("plain", "反诈名片").join();
        words.put("expiring", "短暂", Duration.ofHours(2));
        assertNull(words.putIfAbsent("other", "一", Duration.ofHours(2)));
        assertEquals("一", words.putIfAbsent("other", "二", Duration.ofHours(2)), "putIfAbsent returns what is there");
        Updated<String> first = words.putIfAbsentInMemory("async", "异步", Duration.ofHours(2)).join();
        assertNull(first.answer(), "stored: nothing was there");
        assertEquals("异步", words.get("async"), "in cluster memory once the future completed");
        words.create("after-async", "后").join();
        assertNotNull(row("words", "async"), "its row was queued before the future completed, so a later write's"
                + " commit carries it too");
        first.committed().join();
        Updated<String> repeat = words.putIfAbsentInMemory("async", "again", Duration.ofHours(2)).join();
        assertEquals("异步", repeat.answer());
        assertTrue(repeat.committed().isDone(), "nothing stored, nothing to commit");
        words.create("gone", "x").join();
        assertEquals("x", words.remove("gone"));
        words.create("kept", "y").join();
        assertFalse(words.removeIf("kept", v -> v.equals("z")));
        assertArrayEquals("反诈名片".getBytes(java.nio.charset.StandardCharsets.UTF_8), row("words", "plain"),
                "the row holds the codec's bytes, nothing around them");
        Instant expires = expiry("words", "expiring");
        assertNotNull(expires, "a record written with a time-to-live has its expiry in its row");
        assertNotNull(expiry("words", "async"), "also when written by putIfAbsentInMemory");
        assertTrue(expires.isAfter(Instant.now().plus(Duration.ofMinutes(100))) && expires.isBefore(Instant.now().plus(Duration.ofHours(3))));
        insertWorkRow("words", "long-expired", "旧", Instant.now().minus(Duration.ofDays(1)));

        stopMembers();
        WorkStore<String> again = startMember().open(WORDS);

        assertEquals("反诈名片", again.get("plain"));
        assertEquals("短暂", again.get("expiring"));
        assertEquals("一", again.get("other"));
        assertEquals("y", again.get("kept"));
        assertEquals("异步", again.get("async"));
        assertNull(again.get("gone"));
        assertNull(again.get("long-expired"), "an expired row is not loaded");
        assertNull(row("words", "long-expired"), "and is deleted at the initial load");
        assertEquals(6, again.localKeys().size(), "one member owns every key");
    }

    @Test
    void aRecordCreatedWithATimeToLiveExpiresAndItsRowCarriesTheExpiry() throws Exception {
        WorkStore<String> words = startMember().open(WORDS);
        words.create("one", "一", Duration.ofHours(2)).join();
        words.createAll(Map.of("two", "二", "three", "三"), Duration.ofHours(2)).join();
        for (String key : List.of("one", "two", "three")) {
            Instant expires = expiry("words", key);
            assertNotNull(expires, key + ": a record created with a time-to-live has its expiry in its row");
            assertTrue(expires.isAfter(Instant.now().plus(Duration.ofMinutes(100)))
                    && expires.isBefore(Instant.now().plus(Duration.ofHours(3))), key + " expires at " + expires);
        }
        words.create("brief", "短", Duration.ofMillis(200)).join();
        words.createAll(Map.of("brief-2", "x", "brief-3", "y"), Duration.ofMillis(200)).join();
        cn.antifraud.gateway.registry.Await.until("the short-lived records expired from cluster memory",
                () -> words.get("brief") == null && words.get("brief-2") == null && words.get("brief-3") == null);
        assertEquals("一", words.get("one"), "a longer time-to-live is not cut short");
        words.create("forever", "永").join();
        assertNull(expiry("words", "forever"), "a record created without one has no expiry");
    }

    @Test
    void anUpdateInMemoryReturnsBeforeItsCommitAndTheCommitFollows() throws Exception {
        WorkStore<Long> counters = startMember().open(COUNTERS);
        counters.create("held", 1L).join();
        Updated<Long> updated;
        try (Connection blocker = stores.dataSource().getConnection()) {
            // The row locked by another transaction: the journal's commit of the update waits for it.
            blocker.setAutoCommit(false);
            try (PreparedStatement p = blocker.prepareStatement("SELECT version FROM work_entry WHERE store_name = 'counters'"
                    + " AND entry_key = 'held' FOR UPDATE");
                 ResultSet rs = p.executeQuery()) {
                assertTrue(rs.next());
            }
            updated = counters.updateInMemory("held", v -> new Transition.Result<>(v + 1, v + 1));
            assertEquals(Long.valueOf(2), updated.answer());
            assertEquals(Long.valueOf(2), counters.get("held"), "the new record is in cluster memory");
            assertFalse(updated.committed().isDone(), "while its commit waits for the row");
            blocker.rollback();
        }
        updated.committed().get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        assertEquals(Long.valueOf(2), LongCodec.INSTANCE.decode(row("counters", "held")), "committed once the lock went");
        Updated<Long> unchanged = counters.updateInMemory("held", v -> Transition.Result.unchanged(v, v));
        assertTrue(unchanged.committed().isDone(), "an update that changes nothing has nothing to commit");
    }

    @Test
    void aBatchCreateIsOneTransactionAndItsRecordsAreNotWrittenTwice() throws Exception {
        WorkStore<Long> counters = startMember().open(COUNTERS);
        Map<String, Long> batch = new LinkedHashMap<>();
        for (long i = 0; i < 300; i++) {
            batch.put("c" + i, i);
        }
        DurableCommitStats before = stores.durableCommits();
        counters.createAll(batch).join();
        DurableCommitStats after = stores.durableCommits();

        assertEquals(1, after.batches() - before.batches(), "one transaction for the whole batch: " + after);
        assertEquals(300, after.rows() - before.rows(), "and no second write of the same records by the cluster");
        assertEquals(300, count("counters"));
        assertEquals(Long.valueOf(299), counters.get("c299"));
        counters.update("c299", v -> new Transition.Result<>(v + 1, null));
        assertEquals(Long.valueOf(300), LongCodec.INSTANCE.decode(row("counters", "c299")),
                "a later update of a batch-created record is written through");
    }

    @Test
    void concurrentUpdatesOfOneRecordLoseNone() throws Exception {
        WorkStore<Long> counters = startMember().open(COUNTERS);
        counters.create("n", 0L).join();
        int threadCount = 6;
        int perThread = 40;
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            writers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perThread; i++) {
                    counters.update("n", v -> new Transition.Result<>(v + 1, null));
                }
            }, threads));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        assertEquals(Long.valueOf(threadCount * perThread), counters.get("n"));
        assertEquals(Long.valueOf(threadCount * perThread), LongCodec.INSTANCE.decode(row("counters", "n")));
    }

    @Test
    void aPutOfSeveralKeysReturnsWhatEachReplacedAndWritesEveryRowWithItsExpiry() throws Exception {
        WorkStore<String> words = startMember().open(WORDS);
        words.create("a", "old a").join();
        Map<String, String> values = new java.util.LinkedHashMap<>();
        values.put("a", "new a");
        values.put("b", "new b");
        values.put("c", "new c");
        Map<String, String> replaced = words.putAll(values, Duration.ofHours(2));
        assertEquals(Map.of("a", "old a"), replaced, "only the key that held a record");
        for (String key : values.keySet()) {
            assertEquals(values.get(key), words.get(key));
            assertArrayEquals(utf8(values.get(key)), row("words", key), "in the database once putAll returned");
            Instant expires = expiry("words", key);
            assertNotNull(expires, key + " keeps its time-to-live in its row");
            assertTrue(expires.isAfter(Instant.now().plus(Duration.ofMinutes(100))), key + " expires in about 2 h: " + expires);
        }
    }

    @Test
    void anAsynchronousRemovalLeavesATombstoneThatARestartDoesNotUndo() throws Exception {
        WorkStore<String> words = startMember().open(WORDS);
        words.create("gone", "soon").join();
        words.create("kept", "stays").join();
        words.removeAsync("gone").get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        words.removeAsync("never-there").get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        assertNull(words.get("gone"));
        assertNull(row("words", "gone"), "removed from the database once the future completed");
        assertNull(words.get("never-there"), "removing an absent key creates nothing");

        stopMembers();
        WorkStore<String> reloaded = startMember().open(WORDS);
        assertNull(reloaded.get("gone"), "a whole-cluster restart does not bring it back");
        assertEquals("stays", reloaded.get("kept"));
    }

    @Test
    void anUpdateThatChangesNothingWritesNothing() throws Exception {
        WorkStore<Long> counters = startMember().open(COUNTERS);
        counters.create("n", 7L).join();
        DurableCommitStats before = stores.durableCommits();
        String answer = counters.update("n", v -> Transition.Result.unchanged(v, "seen " + v));
        assertEquals("seen 7", answer);
        assertEquals(before.batches(), stores.durableCommits().batches());
        assertNull(counters.update("absent", v -> Transition.Result.unchanged(v, null)));
        assertNull(counters.get("absent"), "a transition that keeps an absent key absent creates nothing");
    }

    @Test
    void thePreviousReleasesRowsAreTakenOverOnceWithTheirTimeToLive() throws Exception {
        insertLegacyRow("durable.legacy-words", "k1", "{\"value\":\"旧版本\"}");
        insertLegacyRow("durable.legacy-words", "k2", "{\"value\":\"second\"}");
        insertLegacyRow("durable.other-map", "k1", "{\"value\":\"not mine\"}");

        WorkStore<String> words = startMember().open(WORDS);

        assertEquals("旧版本", words.get("k1"));
        assertEquals("second", words.get("k2"));
        assertEquals(0, legacyCount("durable.legacy-words"), "the taken rows leave durable_entry");
        assertEquals(1, legacyCount("durable.other-map"), "another map's rows stay");
        Instant expires = expiry("words", "k1");
        assertNotNull(expires, "taken over with the spec's time-to-live");
        assertTrue(expires.isBefore(Instant.now().plus(Duration.ofMinutes(61))));
    }

    @Test
    void anOlderRowCommittedAfterANewerOneDoesNotWin() throws Exception {
        DurableWorkEntries database = stores.work(WORDS);
        database.write(List.of(WorkRow.record("k", 10, utf8("newer"), null))).join();
        database.write(List.of(WorkRow.record("k", 5, utf8("older"), null))).join();
        assertArrayEquals(utf8("newer"), row("words", "k"), "a commit of an older version leaves the newer row");
        assertEquals(10, version("words", "k"));
        database.write(List.of(WorkRow.record("j", 3, utf8("three"), null), WorkRow.record("j", 2, utf8("two"), null))).join();
        assertArrayEquals(utf8("three"), row("words", "j"), "within one transaction too, whatever the order");
        database.write(List.of(WorkRow.record("k", 11, utf8("newest"), null))).join();
        assertArrayEquals(utf8("newest"), row("words", "k"), "a newer version replaces the row");
    }

    @Test
    void aRemovalIsNotUndoneByALateOlderWriteAndIsNotLoaded() throws Exception {
        DurableWorkEntries database = stores.work(WORDS);
        database.write(List.of(WorkRow.record("k", 5, utf8("five"), null))).join();
        database.write(List.of(WorkRow.tombstone("k", 7))).join();
        database.write(List.of(WorkRow.record("k", 6, utf8("late"), null))).join();
        assertEquals(7, version("words", "k"), "the tombstone stays");
        assertNull(row("words", "k"));

        WorkStore<String> words = startMember().open(WORDS);
        assertNull(words.get("k"), "a tombstone is not loaded");
        assertTrue(words.localKeys().isEmpty());
    }

    @Test
    void aRecordCreatedAgainAfterItsRemovalIsReloadedAfterAFullRestart() throws Exception {
        WorkStore<String> words = startMember().open(WORDS);
        words.create("k", "first").join();
        long first = version("words", "k");
        assertEquals("first", words.remove("k"));
        long removed = version("words", "k");
        assertNull(row("words", "k"), "a removal leaves a tombstone");
        words.create("k", "second").join();
        assertTrue(first < removed && removed < version("words", "k"), "versions rise: " + first + ", " + removed
                + ", " + version("words", "k"));
        words.put("p", "parked", Duration.ofHours(1));
        assertTrue(words.removeIf("p", v -> true));
        assertNull(words.putIfAbsent("p", "again", Duration.ofHours(1)), "a removed key is absent");
        words.create("gone", "x").join();
        assertNull(words.update("gone", v -> new Transition.Result<>(null, null)));

        stopMembers();
        WorkStore<String> again = startMember().open(WORDS);

        assertEquals("second", again.get("k"));
        assertEquals("again", again.get("p"));
        assertNull(again.get("gone"), "a record removed by a transition stays removed");
        assertEquals(2, again.localKeys().size());
    }

    @Test
    void aMemoryOnlyChangeIsNotWrittenUntilTheNextJournaledOneCarriesIt() throws Exception {
        WorkStore<Long> counters = startMember().open(COUNTERS);
        counters.create("lease", 1L).join();
        long createdVersion = version("counters", "lease");
        DurableCommitStats before = stores.durableCommits();

        counters.update("lease", v -> Transition.Result.inMemoryOnly(v + 1, null));

        assertEquals(Long.valueOf(2), counters.get("lease"), "the cluster holds the change");
        assertEquals(before.rows(), stores.durableCommits().rows(), "no row written for it");
        assertEquals(Long.valueOf(1), LongCodec.INSTANCE.decode(row("counters", "lease")), "the database keeps the last journaled value");
        counters.update("lease", v -> new Transition.Result<>(v + 1, null));
        assertEquals(Long.valueOf(3), LongCodec.INSTANCE.decode(row("counters", "lease")), "the next journaled change is written whole");
        assertTrue(version("counters", "lease") > createdVersion);
        assertNull(counters.update("fresh", v -> Transition.Result.inMemoryOnly(5L, null)));
        assertEquals(Long.valueOf(5), LongCodec.INSTANCE.decode(row("counters", "fresh")),
                "a record created by a transition is always journaled, memory-only or not");

        stopMembers();
        WorkStore<Long> again = startMember().open(COUNTERS);
        assertEquals(Long.valueOf(3), again.get("lease"));
    }

    @Test
    void aRowWrittenBeforeVersionsLoadsAsVersionZeroAndAnyWriteReplacesIt() throws Exception {
        insertWorkRow("words", "old", "旧格式", Instant.now().plus(Duration.ofDays(1)));
        assertEquals(0, version("words", "old"));
        WorkStore<String> words = startMember().open(WORDS);
        assertEquals("旧格式", words.get("old"));
        words.update("old", v -> new Transition.Result<>(v + "+", null));
        assertArrayEquals(utf8("旧格式+"), row("words", "old"));
        assertTrue(version("words", "old") > 0);
    }

    private static byte[] utf8(String s) {
        return WorkCodec.utf8().encode(s);
    }

    long version(String store, String key) throws SQLException {
        try (Connection c = stores.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("SELECT version FROM work_entry WHERE store_name = ? AND entry_key = ?")) {
            p.setString(1, store);
            p.setString(2, key);
            try (ResultSet rs = p.executeQuery()) {
                assertTrue(rs.next(), "no row for " + key);
                return rs.getLong(1);
            }
        }
    }

    byte[] row(String store, String key) throws SQLException {
        try (Connection c = stores.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("SELECT value_bytes FROM work_entry WHERE store_name = ? AND entry_key = ?")) {
            p.setString(1, store);
            p.setString(2, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    Instant expiry(String store, String key) throws SQLException {
        try (Connection c = stores.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("SELECT expires_at FROM work_entry WHERE store_name = ? AND entry_key = ?")) {
            p.setString(1, store);
            p.setString(2, key);
            try (ResultSet rs = p.executeQuery()) {
                assertTrue(rs.next(), "no row for " + key);
                OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
                return t == null ? null : t.toInstant();
            }
        }
    }

    int count(String store) throws SQLException {
        try (Connection c = stores.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM work_entry WHERE store_name = ?")) {
            p.setString(1, store);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private int legacyCount(String map) throws SQLException {
        try (Connection c = stores.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM durable_entry WHERE map_name = ?")) {
            p.setString(1, map);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void insertWorkRow(String store, String key, String value, Instant expires) throws SQLException {
        try (Connection c = stores.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("INSERT INTO work_entry (store_name, entry_key, value_bytes, expires_at,"
                     + " updated_at) VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, store);
            p.setString(2, key);
            p.setBytes(3, WorkCodec.utf8().encode(value));
            p.setObject(4, OffsetDateTime.ofInstant(expires, ZoneOffset.UTC));
            p.setObject(5, OffsetDateTime.now(ZoneOffset.UTC));
            p.executeUpdate();
        }
    }

    /** A row as the previous release's write-through store of a {@code durable.*} map wrote it. */
    void insertLegacyRow(String map, String key, String json) throws SQLException {
        try (Connection c = stores.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("INSERT INTO durable_entry (map_name, entry_key, value_class, value_json,"
                     + " updated_at) VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, map);
            p.setString(2, key);
            p.setString(3, "cn.antifraud.gateway.smpp.internal.StoredTarget");
            p.setString(4, json);
            p.setObject(5, OffsetDateTime.now(ZoneOffset.UTC));
            p.executeUpdate();
        }
    }
}
