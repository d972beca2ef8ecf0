package cn.antifraud.gateway.registry.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.Await;
import cn.antifraud.gateway.registry.AuditRecord;
import cn.antifraud.gateway.registry.Change;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.ImportResult;
import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.RejectedRow;
import cn.antifraud.gateway.registry.WarningNumber;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin side of the registry on a real member: audited writes, revocation, paging, bulk import. */
class HazelcastNumberRegistryTest {

    private static final Instant NOW = Records.T0.plusSeconds(3600);

    private static MemoryStores stores;
    private static RegistryMember member;
    private static HazelcastNumberRegistry registry;

    @BeforeAll
    static void start() {
        stores = new MemoryStores();
        // Port 0: the operating system chooses, as a single embedded member in tests may.
        member = RegistryMember.start(TestClusters.configs(1).get(0).toBuilder().port(0).build(), stores);
        registry = new HazelcastNumberRegistry(member, stores.audit());
    }

    @AfterAll
    static void stop() {
        member.close();
    }

    @BeforeEach
    void empty() {
        member.warningNumbers().clear();
        member.fraudNumbers().clear();
        member.familyContacts().clear();
        stores.audit().records.clear();
    }

    @Test
    void memberOnPortZeroBindsAnEphemeralLoopbackPort() {
        String address = member.address();
        assertTrue(address.startsWith("127.0.0.1:"), address);
        assertFalse(address.endsWith(":0"), address);
    }

    @Test
    void everyWriteIsAuditedWithActorBeforeAndAfter() {
        WarningNumber card = Records.card("12381", "工信部反诈中心");
        Change<WarningNumber> created = registry.putWarningNumber(card, "alice");
        assertTrue(created.created());
        registry.revokeWarningNumber(card.number(), "bob");

        List<AuditRecord> audit = registry.audit(0, 10).items();
        assertEquals(2, audit.size());
        assertEquals("alice", audit.get(0).actor());
        assertEquals("PUT", audit.get(0).action());
        assertEquals("warning-number", audit.get(0).entity());
        assertEquals("+8612381", audit.get(0).key());
        assertNull(audit.get(0).before());
        assertTrue(audit.get(0).after().contains("\"cardName\":\"工信部反诈中心\""), audit.get(0).after());
        assertEquals("REVOKE", audit.get(1).action());
        assertTrue(audit.get(1).before().contains("\"revoked\":false"), audit.get(1).before());
        assertTrue(audit.get(1).after().contains("\"revoked\":true"), audit.get(1).after());
        assertTrue(audit.get(1).after().contains("2026-01-01T00:00:00.123456Z"), "ISO instants: " + audit.get(1).after());
    }

    @Test
    void anIdenticalPutIsANoOpThatIsNotAudited() {
        WarningNumber card = Records.card("12381", "工信部反诈中心");
        FraudNumber fraud = Records.fraud("17012345678");
        FamilyContacts family = new FamilyContacts(PhoneNumbers.parse("13800138000"),
                List.of(PhoneNumbers.parse("13900139000")), true, Records.T0);
        assertTrue(registry.putWarningNumber(card, "alice").created());
        assertTrue(registry.putFraudNumber(fraud, "alice").created());
        assertTrue(registry.putFamilyContacts(family, "alice").created());
        assertEquals(3, registry.audit(0, 10).items().size());

        Change<WarningNumber> sameCard = registry.putWarningNumber(Records.card("12381", "工信部反诈中心"), "bob");
        Change<FraudNumber> sameFraud = registry.putFraudNumber(Records.fraud("17012345678"), "bob");
        Change<FamilyContacts> sameFamily = registry.putFamilyContacts(new FamilyContacts(PhoneNumbers.parse("13800138000"),
                List.of(PhoneNumbers.parse("13900139000")), true, Records.T0), "bob");
        assertTrue(sameCard.unchanged() && sameFraud.unchanged() && sameFamily.unchanged(), "identical puts are unchanged");
        assertFalse(sameCard.created(), "and not reported as created");
        assertEquals(card, sameCard.after());
        assertEquals(3, registry.audit(0, 10).items().size(), "no audit record for an identical put");

        Change<WarningNumber> edited = registry.putWarningNumber(Records.card("12381", "工信部"), "bob");
        assertFalse(edited.unchanged(), "a different record is a change");
        assertEquals(card, edited.before());
        List<AuditRecord> audit = registry.audit(0, 10).items();
        assertEquals(4, audit.size(), "and is audited");
        assertEquals("bob", audit.get(3).actor());
    }

    @Test
    void revokeKeepsTheRecordAndStopsBranding() {
        WarningNumber card = Records.card("+86 10 9611 0000", "国家反诈中心");
        registry.putWarningNumber(card, "alice");
        // The put's own near-cache invalidation is delivered asynchronously and may empty the entry that
        // a read just filled (seen on a loaded machine); the card rewarmer refills it. Wait for that.
        Await.until("the card is brandable from the near cache", () -> {
            if (registry.brandableCard(card.number(), NOW).isPresent()) {
                return true;
            }
            registry.warningNumber(card.number());
            return false;
        });
        assertEquals(card, registry.brandableCard(card.number(), NOW).orElseThrow());

        assertTrue(registry.revokeWarningNumber(card.number(), "bob").orElseThrow().after().revoked());
        assertTrue(registry.brandableCard(card.number(), NOW).isEmpty(), "the local near cache is invalidated at once");
        assertTrue(registry.warningNumber(card.number()).orElseThrow().revoked(), "kept for audit");
        assertTrue(stores.warningNumbers().rows.get(card.number().e164()).revoked(), "written through");
        assertTrue(registry.revokeWarningNumber(PhoneNumbers.parse("13700000000"), "bob").isEmpty(), "never registered");
    }

    @Test
    void cardOutsideItsValidityWindowIsRegisteredButNotBrandable() {
        WarningNumber card = Records.card("12381", "工信部反诈中心");
        registry.putWarningNumber(card, "alice");
        registry.warningNumber(card.number());
        assertTrue(registry.brandableCard(card.number(), Records.T0.minusSeconds(1)).isEmpty(), "before validFrom");
        assertTrue(registry.registered(card.number()).isPresent(), "but a spoof of it is still recognised");
    }

    @Test
    void expiredFraudListingIsNotActive() {
        FraudNumber expiring = new FraudNumber(PhoneNumbers.parse("17012345678"), Records.fraud("17012345678").fraudType(),
                "CASE-1", Records.T0, Records.T0.plusSeconds(60), false);
        registry.putFraudNumber(expiring, "alice");
        PhoneNumber n = expiring.number();
        assertTrue(registry.activeFraudNumberEventually(n, Records.T0).toCompletableFuture().join().isPresent());
        registry.fraudNumber(n); // a blocking read fills the near cache before it returns
        assertTrue(registry.activeFraudNumber(n, Records.T0.plusSeconds(59)).isPresent());
        assertTrue(registry.activeFraudNumber(n, Records.T0.plusSeconds(60)).isEmpty());
    }

    @Test
    void firstLookupOfAnUncachedNumberAnswersUnknownAtOnceAndWarmsTheNearCache() {
        FraudNumber listed = Records.fraud("17099990000");
        registry.putFraudNumber(listed, "alice");
        long cold = registry.coldLookups();

        assertTrue(registry.activeFraudNumber(listed.number(), NOW).isEmpty(),
                "never read on this member: the hot path does not wait for the owner, it answers unknown");
        assertEquals(cold + 1, registry.coldLookups());

        Await.until("the background fetch warms the near cache", () -> registry.activeFraudNumber(listed.number(), NOW).isPresent());
        assertEquals(listed, registry.activeFraudNumber(listed.number(), NOW).orElseThrow(), "warmed in the background");
    }

    @Test
    void hotPathOfAStoppedMemberAnswersUnknownInsteadOfThrowing() {
        MemoryStores own = new MemoryStores();
        RegistryMember stopped = RegistryMember.start(TestClusters.configs(1).get(0).toBuilder().port(0).build(), own);
        HazelcastNumberRegistry onStopped = new HazelcastNumberRegistry(stopped, own.audit());
        stopped.close();

        assertTrue(onStopped.brandableCard(PhoneNumbers.parse("12381"), NOW).isEmpty());
        assertTrue(onStopped.activeFraudNumber(PhoneNumbers.parse("17012345678"), NOW).isEmpty());
        assertTrue(onStopped.lookupFailures() > 0, "counted");
    }

    @Test
    void listingPagesInKeyOrderWithACursor() {
        for (int i = 9; i >= 0; i--) {
            registry.putFraudNumber(Records.fraud("1390000000" + i), "alice");
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<FraudNumber> page = registry.listFraudNumbers(cursor, 4);
            page.items().forEach(f -> seen.add(f.number().e164()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i <= 9; i++) {
            expected.add("+861390000000" + i);
        }
        assertEquals(expected, seen);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.listFraudNumbers(null, 0));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void importStoresGoodRowsCountsBadOnesAndAuditsStartAndEnd() {
        int rows = 2_500;
        Iterator<FraudNumber> input = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < rows;
            }

            @Override
            public FraudNumber next() {
                if (next >= rows) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                if (i == 1007) {
                    // A huge bad row: echoed as its line and at most 64 characters, never whole.
                    throw new RejectedRow(5_000, "case_reference: " + "x".repeat(300_000), null);
                }
                if (i % 1000 == 7) {
                    throw new IllegalArgumentException("bad fraud type in row " + (i + 1));
                }
                return Records.fraud(String.format("138%08d", i));
            }
        };
        ImportResult result = registry.importFraudNumbers(input, "importer");
        assertEquals(2_497, result.stored());
        assertEquals(3, result.rejected());
        assertEquals("line 8: bad fraud type in row 8", result.firstErrors().get(0));
        assertEquals("line 5000: case_reference: " + "x".repeat(64 - "case_reference: ".length()) + "...",
                result.firstErrors().get(1));
        assertEquals(2_500, result.rowsRead());
        assertEquals(2_497, member.fraudNumbers().size());
        assertEquals(2_497, stores.fraudNumbers().rows.size(), "written through");
        List<AuditRecord> audit = registry.audit(0, 10).items();
        assertEquals(List.of("IMPORT_START", "IMPORT"), audit.stream().map(AuditRecord::action).toList());
        assertTrue(audit.get(1).after().contains("\"stored\":2497"), audit.get(1).after());
        assertTrue(audit.get(1).after().length() < 2_000, "the audit never carries a rejected row whole");
    }

    @Test
    void familyContactsPutAndRemoveAreAudited() {
        FamilyContacts family = new FamilyContacts(PhoneNumbers.parse("13800138000"),
                List.of(PhoneNumbers.parse("13900139000")), true, Records.T0);
        registry.putFamilyContacts(family, "alice");
        assertEquals(family, registry.familyContacts(family.subscriber()).orElseThrow());
        assertEquals(family, registry.removeFamilyContacts(family.subscriber(), "alice").orElseThrow().before());
        assertFalse(registry.familyContacts(family.subscriber()).isPresent());
        assertTrue(registry.removeFamilyContacts(family.subscriber(), "alice").isEmpty());
        assertEquals(List.of("PUT", "DELETE"), registry.audit(0, 10).items().stream().map(AuditRecord::action).toList());
    }
}
