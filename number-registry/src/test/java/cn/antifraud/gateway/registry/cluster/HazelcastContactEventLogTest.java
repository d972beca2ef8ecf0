package cn.antifraud.gateway.registry.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The durable hand-over from the SIP proxy to the SMPP side, on two real members. */
class HazelcastContactEventLogTest {

    private static List<RegistryMember> members;
    private static MemoryStores stores;
    private final SettableClock clock = new SettableClock(Records.T0);
    private HazelcastContactEventLog onA;
    private HazelcastContactEventLog onB;

    @BeforeAll
    static void start() {
        stores = new MemoryStores();
        members = TestClusters.start(TestClusters.configs(2), stores);
    }

    @AfterAll
    static void stop() {
        TestClusters.closeAll(members);
    }

    @BeforeEach
    void emptyLog() {
        members.get(0).durableMap(HazelcastContactEventLog.MAP_NAME).clear();
        onA = new HazelcastContactEventLog(members.get(0), clock);
        onB = new HazelcastContactEventLog(members.get(1), clock);
    }

    @Test
    void publishedEventIsWrittenThroughAndClaimedOnceAcrossMembers() {
        for (int i = 0; i < 10; i++) {
            onA.publish(event("call-" + i, i)).toCompletableFuture().join();
        }
        assertEquals(10, stores.durable(HazelcastContactEventLog.MAP_NAME).rows.size(), "every event is in the database");

        List<ContactEvent> first = onA.claim("smpp-a", 6, Duration.ofMinutes(1));
        List<ContactEvent> second = onB.claim("smpp-b", 6, Duration.ofMinutes(1));
        assertEquals(6, first.size());
        assertEquals(4, second.size());
        Set<String> ids = new HashSet<>();
        first.forEach(e -> ids.add(e.id()));
        second.forEach(e -> assertTrue(ids.add(e.id()), "claimed twice: " + e.id()));
        assertEquals("call-0", first.get(0).id(), "oldest first");
        assertTrue(onB.claim("smpp-b", 10, Duration.ofMinutes(1)).isEmpty(), "all leased");
    }

    @Test
    void retransmittedPublishDoesNotResetALease() {
        ContactEvent e = event("call-x", 0);
        onA.publish(e).toCompletableFuture().join();
        assertEquals(List.of(e), onA.claim("smpp-a", 1, Duration.ofMinutes(1)));
        onB.publish(e).toCompletableFuture().join();
        assertTrue(onB.claim("smpp-b", 1, Duration.ofMinutes(1)).isEmpty(), "the lease of smpp-a holds");
    }

    @Test
    void lapsedLeaseMakesTheEventClaimableAgainAndAcknowledgeRemovesIt() {
        ContactEvent e = event("call-y", 0);
        onA.publish(e).toCompletableFuture().join();
        assertEquals(List.of(e), onA.claim("smpp-a", 1, Duration.ofSeconds(30)));

        clock.set(Records.T0.plusSeconds(31));
        assertEquals(List.of(e), onB.claim("smpp-b", 1, Duration.ofSeconds(30)), "smpp-a died; smpp-b takes over");

        onB.acknowledge(e.id());
        clock.set(Records.T0.plusSeconds(3600));
        assertTrue(onA.claim("smpp-a", 1, Duration.ofSeconds(30)).isEmpty());
        assertEquals(0, onA.size());
        assertTrue(stores.durable(HazelcastContactEventLog.MAP_NAME).rows.isEmpty(), "and from the database");
    }

    @Test
    void badClaimArgumentsAreNamed() {
        IllegalArgumentException max = assertThrows(IllegalArgumentException.class,
                () -> onA.claim("c", 0, Duration.ofSeconds(1)));
        assertTrue(max.getMessage().contains("max"), max.getMessage());
        IllegalArgumentException lease = assertThrows(IllegalArgumentException.class,
                () -> onA.claim("c", 1, Duration.ZERO));
        assertTrue(lease.getMessage().contains("lease"), lease.getMessage());
    }

    private static ContactEvent event(String id, int secondsAfterT0) {
        return new ContactEvent(id, PhoneNumbers.parse("13800138000"), PhoneNumbers.parse("17012345678"),
                ContactEvent.Direction.FRAUD_TO_SUBSCRIBER, id + "@host", Records.T0.plusSeconds(secondsAfterT0),
                "trunk-a", FraudType.FAKE_CUSTOMER_SERVICE);
    }

    /** A clock the test moves, so lease expiry needs no sleeping. */
    static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            this.now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
