package cn.antifraud.gateway.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.AuditRecord;
import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.registry.cluster.LeasedContactEvent;
import cn.antifraud.gateway.registry.work.DurableWorkEntries;
import cn.antifraud.gateway.registry.work.WorkCodec;
import cn.antifraud.gateway.registry.work.WorkRow;
import cn.antifraud.gateway.registry.work.WorkStoreSpec;
import com.hazelcast.map.MapStore;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every database behind {@link JdbcRegistryStores} must do; run once per database by its subclasses. */
abstract class RegistryStoresContract {

    static final Instant T1 = Instant.parse("2026-03-01T08:00:00.123456Z");
    static final Instant T2 = Instant.parse("2027-03-01T00:00:00Z");
    static final PhoneNumber POLICE = PhoneNumbers.parse("96110");
    static final PhoneNumber MOBILE = PhoneNumbers.parse("+86 138 0013 8000");
    static final PhoneNumber LANDLINE = PhoneNumbers.parse("010-12345678");

    JdbcRegistryStores stores;

    /** A config for a new, empty database. */
    abstract DatabaseConfig.Builder newDatabase() throws Exception;

    DatabaseConfig config;

    @BeforeEach
    void open() throws Exception {
        config = newDatabase().poolSize(4).batchSize(500).fetchSize(1_000).build();
        stores = JdbcRegistryStores.open(config);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    /**
     * A bulk read's misses reach loadAll too (WorkStore.getAll): a key this member is removing must not come back
     * from its row before its tombstone is committed, exactly as load leaves it alone.
     */
    @Test
    void aWorkEntryBeingRemovedIsNotLoadedBackInBulk() {
        DurableWorkEntries entries = stores.work(WorkStoreSpec.durable("bulk-removal", WorkCodec.utf8()));
        byte[] payload = "排队".getBytes(StandardCharsets.UTF_8);
        entries.write(List.of(WorkRow.record("going", 1, payload, null),
                WorkRow.record("staying", 1, payload, null))).join();
        CompletableFuture<Void> tombstoneCommitted = new CompletableFuture<>();
        entries.removing("going", tombstoneCommitted);
        assertEquals(Set.of("staying"), entries.loadAll(List.of("going", "staying")).keySet(),
                "the key being removed is left out");
        tombstoneCommitted.complete(null);
        assertEquals(Set.of("going", "staying"), entries.loadAll(List.of("going", "staying")).keySet(),
                "once its removal settled (here: never written), its row is read again");
    }

    @Test
    void warningNumberRoundTripsEveryFieldIncludingChineseAndInstants() {
        WarningNumber w = new WarningNumber(POLICE, "国家反诈中心", "用户您好，该电话来自于国家反诈部门，请您接听！",
                "公安部刑事侦查局", "https://cards.example.cn/logo/国家反诈.png", T1, T2, "张警官", T1.plusSeconds(60), true);
        stores.warningNumbers().store(POLICE.e164(), w);
        assertEquals(w, stores.warningNumbers().load(POLICE.e164()));
    }

    @Test
    void warningNumberKeepsNullOptionalFields() {
        WarningNumber w = new WarningNumber(LANDLINE, "北京市反诈中心", "反诈预警", "北京市公安局", null, T1, null,
                "李警官", T1, false);
        stores.warningNumbers().store(LANDLINE.e164(), w);
        WarningNumber loaded = stores.warningNumbers().load(LANDLINE.e164());
        assertEquals(w, loaded);
        assertNull(loaded.logoUrl());
        assertNull(loaded.validUntil());
    }

    @Test
    void storingAgainReplacesTheRow() {
        WarningNumber w = new WarningNumber(POLICE, "国家反诈中心", "反诈预警", "公安部", null, T1, null, "王", T1, false);
        stores.warningNumbers().store(POLICE.e164(), w);
        stores.warningNumbers().store(POLICE.e164(), w.revoke());
        assertTrue(stores.warningNumbers().load(POLICE.e164()).revoked());
        assertEquals(List.of(POLICE.e164()), keys(stores.warningNumbers()));
    }

    @Test
    void fraudNumberRoundTripsEveryTypeWithAndWithoutExpiry() {
        Map<String, FraudNumber> written = new HashMap<>();
        FraudType[] types = FraudType.values();
        for (int i = 0; i < types.length; i++) {
            PhoneNumber n = PhoneNumbers.parse("1380013800" + i);
            written.put(n.e164(), new FraudNumber(n, types[i], "案件-2026-" + i, T1.plusSeconds(i),
                    i % 2 == 0 ? null : T2, i % 3 == 0));
        }
        stores.fraudNumbers().storeAll(written);
        assertEquals(written, stores.fraudNumbers().loadAll(written.keySet()));
    }

    @Test
    void familyContactsKeepTheirOrderAndAreReplacedWhole() {
        List<PhoneNumber> five = List.of(PhoneNumbers.parse("13900000005"), PhoneNumbers.parse("13900000001"),
                LANDLINE, PhoneNumbers.parse("13900000003"), PhoneNumbers.parse("+852 9123 4567"));
        FamilyContacts f = new FamilyContacts(MOBILE, five, true, T1);
        stores.familyContacts().store(MOBILE.e164(), f);
        assertEquals(f, stores.familyContacts().load(MOBILE.e164()));

        FamilyContacts fewer = new FamilyContacts(MOBILE, List.of(LANDLINE), false, null);
        stores.familyContacts().store(MOBILE.e164(), fewer);
        assertEquals(fewer, stores.familyContacts().load(MOBILE.e164()));
        assertEquals(1, countRows("SELECT COUNT(*) FROM family_contact"));
    }

    @Test
    void familyContactsWithNoContactsRoundTrip() {
        FamilyContacts none = new FamilyContacts(MOBILE, List.of(), false, null);
        stores.familyContacts().store(MOBILE.e164(), none);
        assertEquals(none, stores.familyContacts().load(MOBILE.e164()));
    }

    @Test
    void deletingFamilyContactsRemovesTheContactRows() {
        stores.familyContacts().store(MOBILE.e164(), new FamilyContacts(MOBILE, List.of(LANDLINE), true, T1));
        stores.familyContacts().delete(MOBILE.e164());
        assertNull(stores.familyContacts().load(MOBILE.e164()));
        assertEquals(0, countRows("SELECT COUNT(*) FROM family_contact"));
    }

    @Test
    void deleteAllRemovesOnlyTheGivenKeys() {
        Map<String, FraudNumber> rows = fraudNumbers(0, 1_200);
        stores.fraudNumbers().storeAll(rows);
        List<String> gone = new ArrayList<>(rows.keySet()).subList(0, 1_100);
        stores.fraudNumbers().deleteAll(gone);
        assertEquals(100, keys(stores.fraudNumbers()).size());
        assertTrue(stores.fraudNumbers().loadAll(gone).isEmpty());
    }

    @Test
    void aValueFiledUnderAnotherKeyIsRefused() {
        FraudNumber f = new FraudNumber(MOBILE, FraudType.FAKE_LOAN, "案-1", T1, null, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> stores.fraudNumbers().store(LANDLINE.e164(), f));
        assertTrue(e.getMessage().contains(LANDLINE.e164()), e.getMessage());
        assertNull(stores.fraudNumbers().load(MOBILE.e164()));
    }

    @Test
    void loadingAnUnknownKeyGivesNull() {
        assertNull(stores.fraudNumbers().load("+8613999999999"));
        assertTrue(stores.warningNumbers().loadAll(List.of("+8613999999999")).isEmpty());
    }

    @Test
    void instantsKeepMicrosecondsAndDropNanoseconds() {
        Instant nanos = Instant.parse("2026-05-01T00:00:00.123456789Z");
        stores.fraudNumbers().store(MOBILE.e164(), new FraudNumber(MOBILE, FraudType.ROMANCE, "案", nanos, null, false));
        assertEquals(Instant.parse("2026-05-01T00:00:00.123456Z"), stores.fraudNumbers().load(MOBILE.e164()).added());
    }

    @Test
    void loadAllKeysAndLoadAllCoverOneHundredThousandRows() throws IOException {
        Map<String, FraudNumber> rows = fraudNumbers(0, 100_000);
        stores.fraudNumbers().storeAll(rows);

        Iterable<String> streamed = stores.fraudNumbers().loadAllKeys();
        Set<String> keys = new HashSet<>();
        Map<String, FraudNumber> loaded = new HashMap<>();
        List<String> batch = new ArrayList<>();
        for (String key : streamed) {
            keys.add(key);
            batch.add(key);
            if (batch.size() == 1_000) {
                loaded.putAll(stores.fraudNumbers().loadAll(batch));
                batch.clear();
            }
        }
        loaded.putAll(stores.fraudNumbers().loadAll(batch));
        ((Closeable) streamed).close();

        assertEquals(rows.keySet(), keys);
        assertEquals(rows, loaded);
    }

    @Test
    void aKeyStreamClosedHalfWayReturnsItsConnection() throws IOException {
        stores.fraudNumbers().storeAll(fraudNumbers(0, 5_000));
        for (int round = 0; round < 10; round++) {
            Iterable<String> streamed = stores.fraudNumbers().loadAllKeys();
            Iterator<String> it = streamed.iterator();
            it.next();
            ((Closeable) streamed).close();
        }
        // The pool has 4 connections: had any stream kept its connection, this would time out.
        assertEquals(5_000, keys(stores.fraudNumbers()).size());
    }

    @Test
    void moreConcurrentLoadsThanConnectionsWaitInsteadOfTimingOut() throws Exception {
        stores.fraudNumbers().storeAll(fraudNumbers(0, 20_000));
        List<List<String>> batches = Jdbc.chunks(new ArrayList<>(fraudNumbers(0, 20_000).keySet()), 500);
        try (JdbcRegistryStores small = JdbcRegistryStores.open(DatabaseConfig.builder(config.jdbcUrl())
                .user(config.user()).password(config.password()).poolSize(3)
                .connectionTimeout(Duration.ofMillis(250)).build())) {
            ExecutorService threads = Executors.newFixedThreadPool(16);
            try {
                List<Future<Integer>> sizes = new ArrayList<>();
                for (List<String> batch : batches) {
                    sizes.add(threads.submit(() -> small.fraudNumbers().loadAll(batch).size()));
                }
                int total = 0;
                for (Future<Integer> f : sizes) {
                    total += f.get(5, TimeUnit.MINUTES);
                }
                assertEquals(20_000, total);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void durableMapRoundTripsARecordWithNestedTypesAndNulls() {
        MapStore<String, Object> jobs = stores.durable("durable.sms-jobs");
        DurableTestJob job = new DurableTestJob("job-1", MOBILE, FraudType.IMPERSONATING_AUTHORITIES,
                "【12381】您好，您正在与涉嫌诈骗的号码通话，请立即挂断！三不一多", T1, null, List.of("0A1B", "2748"), 2);
        jobs.store(job.id(), job);
        assertEquals(job, jobs.load(job.id()));
        assertEquals(List.of("job-1"), keys(jobs));
    }

    @Test
    void durableMapRoundTripsTheClusterContactEventRecord() {
        ContactEvent event = new ContactEvent("call-1@sbc", MOBILE, PhoneNumbers.parse("+86 170 0000 0001"),
                ContactEvent.Direction.FRAUD_TO_SUBSCRIBER, "call-1@sbc", T1, "电信互联中继", FraudType.FAKE_INVESTMENT);
        LeasedContactEvent leased = new LeasedContactEvent(event, "gateway-2", T2);
        MapStore<String, Object> events = stores.durable("durable.contact-events");
        events.storeAll(Map.of(event.id(), leased, "unclaimed", LeasedContactEvent.unclaimed(event)));
        assertEquals(leased, events.load(event.id()));
        assertEquals(LeasedContactEvent.unclaimed(event), events.load("unclaimed"));
    }

    @Test
    void durableMapsWithDifferentNamesDoNotShareEntries() {
        DurableTestJob job = new DurableTestJob("same-key", MOBILE, FraudType.FAKE_LOAN, "x", T1, T2, List.of(), 0);
        stores.durable("durable.a").store("same-key", job);
        assertNull(stores.durable("durable.b").load("same-key"));
        stores.durable("durable.b").deleteAll(List.of("same-key"));
        assertEquals(job, stores.durable("durable.a").load("same-key"));
    }

    @Test
    void durableMapRefusesNamesOutsideTheDurablePrefix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stores.durable("jobs"));
        assertTrue(e.getMessage().contains("durable.NAME"), e.getMessage());
    }

    @Test
    void durableMapRefusesClassesThatAreNotTheGatewaysOwn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> stores.durable("durable.x").store("k", new java.util.Date()));
        assertTrue(e.getMessage().contains("java.util.Date"), e.getMessage());
    }

    @Test
    void auditAppendsWithGrowingIdsAndPagesInOrder() {
        List<AuditRecord> appended = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            appended.add(stores.audit().append("token:张三", "PUT", "fraud-number", "+861380013800" + i,
                    i == 0 ? null : "{\"caseReference\":\"案-" + (i - 1) + "\"}", "{\"caseReference\":\"案-" + i + "\"}"));
        }
        for (int i = 1; i < appended.size(); i++) {
            assertTrue(appended.get(i).id() > appended.get(i - 1).id());
        }
        Page<AuditRecord> first = stores.audit().page(0, 2);
        assertEquals(appended.subList(0, 2), first.items());
        Page<AuditRecord> second = stores.audit().page(Long.parseLong(first.nextCursor()), 2);
        assertEquals(appended.subList(2, 4), second.items());
        Page<AuditRecord> last = stores.audit().page(Long.parseLong(second.nextCursor()), 2);
        assertEquals(appended.subList(4, 5), last.items());
        assertNull(last.nextCursor());
    }

    @Test
    void auditRefusesAMissingActor() {
        assertThrows(NullPointerException.class, () -> stores.audit().append(null, "PUT", "fraud-number", "k", null, null));
        assertThrows(IllegalArgumentException.class, () -> stores.audit().page(0, 0));
    }

    static Map<String, FraudNumber> fraudNumbers(int from, int count) {
        Map<String, FraudNumber> rows = new HashMap<>();
        FraudType[] types = FraudType.values();
        for (int i = from; i < from + count; i++) {
            PhoneNumber n = new PhoneNumber("+86170" + String.format("%08d", i), PhoneNumber.Kind.MOBILE);
            rows.put(n.e164(), new FraudNumber(n, types[i % types.length], "案-" + i, T1, i % 2 == 0 ? null : T2, false));
        }
        return rows;
    }

    static List<String> keys(MapStore<String, ?> store) {
        List<String> keys = new ArrayList<>();
        store.loadAllKeys().forEach(keys::add);
        return keys;
    }

    long countRows(String sql) {
        try (Connection c = stores.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void listingsAreKeysetPagesInKeyOrderWithACount() {
        Map<String, FraudNumber> rows = new HashMap<>();
        for (int i = 0; i < 25; i++) {
            // Mixed lengths and notations: order is by the canonical E.164 text, as the index has it.
            PhoneNumber n = PhoneNumbers.parse(i % 2 == 0 ? String.format("138%08d", i * 7919) : String.format("0755%08d", i));
            rows.put(n.e164(), new FraudNumber(n, FraudType.FAKE_LOAN, "C-" + i, T1, null, false));
        }
        stores.fraudNumbers().storeAll(rows);
        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<FraudNumber> page = stores.listings().fraudNumbers(cursor, 10);
            page.items().forEach(f -> listed.add(f.number().e164()));
            assertTrue(page.items().size() <= 10);
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertEquals(rows.keySet().stream().sorted().toList(), listed, "every row once, in key order");
        assertEquals(3, pages);
        assertEquals(25, stores.listings().fraudNumberCount());
        assertEquals(rows.get(listed.get(0)), stores.listings().fraudNumbers(null, 1).items().get(0), "whole records");
        assertTrue(stores.listings().fraudNumbers(listed.get(24), 10).items().isEmpty());
        assertNull(stores.listings().fraudNumbers(listed.get(14), 10).nextCursor(), "the last page says so");

        FamilyContacts family = new FamilyContacts(MOBILE, List.of(LANDLINE, POLICE), true, T1);
        stores.familyContacts().store(MOBILE.e164(), family);
        assertEquals(List.of(family), stores.listings().familyContacts(null, 10).items(), "contacts filled in");
    }

    @Test
    void anImportRecordKeepsItsCountsAndIsMarkedInterruptedByItsOwnNodeOnly() {
        var journal = stores.importJournal("node-a");
        var mine = journal.start("carrier-registrar");
        journal.progress(mine.id(), 3_000, 2_998, 2, List.of("line 8: case_reference: too long"));
        var other = stores.importJournal("node-b").start("ops");
        var finished = journal.start("ops");
        var ended = journal.end(finished.id(), cn.antifraud.gateway.registry.ImportRecord.State.FINISHED, 10, 10, 0,
                List.of(), "");
        assertEquals(cn.antifraud.gateway.registry.ImportRecord.State.FINISHED, ended.state());
        assertTrue(ended.ended().isPresent());

        // node-a starts again after a kill -9: its running import is interrupted, with how far it got.
        var interrupted = stores.importJournal("node-a").markInterrupted();
        assertEquals(List.of(mine.id()), interrupted.stream().map(r -> r.id()).toList());
        var after = journal.find(mine.id()).orElseThrow();
        assertEquals(cn.antifraud.gateway.registry.ImportRecord.State.INTERRUPTED, after.state());
        assertEquals(3_000, after.rowsRead());
        assertEquals(2_998, after.stored());
        assertEquals(2, after.rejected());
        assertEquals(List.of("line 8: case_reference: too long"), after.errors());
        assertEquals(cn.antifraud.gateway.registry.ImportRecord.State.RUNNING,
                journal.find(other.id()).orElseThrow().state(), "another node's import is not ours to end");
        assertTrue(journal.find("no-such-import").isEmpty());
    }

    @Test
    void importRunsAreListedNewestFirstInKeysetPagesAcrossNodes() {
        List<String> started = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            started.add(stores.importJournal(i % 2 == 0 ? "node-a" : "node-b").start("ops").id());
        }
        var journal = stores.importJournal("node-a");
        List<cn.antifraud.gateway.registry.ImportRecord> listed = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = journal.list(cursor, 2);
            assertTrue(page.items().size() <= 2);
            listed.addAll(page.items());
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 100);
        assertEquals(3, pages, "5 runs in pages of 2");
        List<String> ids = listed.stream().map(cn.antifraud.gateway.registry.ImportRecord::id).toList();
        assertEquals(Set.copyOf(started), Set.copyOf(ids), "every run once, of both nodes");
        assertEquals(5, ids.size());
        for (int i = 1; i < listed.size(); i++) {
            var newer = listed.get(i - 1);
            var older = listed.get(i);
            int byStart = newer.started().compareTo(older.started());
            assertTrue(byStart > 0 || (byStart == 0 && newer.id().compareTo(older.id()) > 0),
                    "newest first, then by id: " + listed);
        }
        assertEquals(1, journal.list(null, 1).items().size());
        assertThrows(IllegalArgumentException.class, () -> journal.list("not-a-cursor", 10));
    }
}
