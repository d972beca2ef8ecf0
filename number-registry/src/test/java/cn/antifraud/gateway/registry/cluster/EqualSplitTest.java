package cn.antifraud.gateway.registry.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.NoQuorumException;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import com.hazelcast.cluster.Member;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.instance.impl.Node;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: an equal split. Four real members in this JVM (quorum: a majority of four, 3) split 2+2,
 * by mutual suspicion as in {@link SplitBrainTest}. Neither half has a majority, so neither
 * acknowledges a registry write, neither brands, and neither claims a contact event (the work-map rule,
 * {@link RegistryQuorum#mayDispatchWork()}); publishing an event stays possible on both. After the heal
 * every member writes and claims again, and the events published during the split are claimed.
 */
class EqualSplitTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(120);
    private static final Instant NOW = Records.T0.plus(Duration.ofDays(1));

    private final MemoryStores stores = new MemoryStores();
    private final List<RegistryMember> members = new ArrayList<>();
    private final List<HazelcastNumberRegistry> registries = new ArrayList<>();
    private final List<HazelcastContactEventLog> events = new ArrayList<>();

    @AfterEach
    void stop() {
        registries.forEach(HazelcastNumberRegistry::close);
        TestClusters.closeAll(members);
    }

    @Test
    void neitherHalfOfATwoTwoSplitAcknowledgesWritesBrandsOrClaimsWork() throws Exception {
        start();
        PhoneNumber card = PhoneNumbers.parse("+86 10 9611 0001");
        registries.get(0).putWarningNumber(Records.card("+86 10 9611 0001", "反诈中心"), "test");
        for (HazelcastNumberRegistry r : registries) {
            await("every member brands the card before the split", () -> r.brandableCard(card, NOW).isPresent());
        }

        split(Set.of(0, 1), Set.of(2, 3));
        for (RegistryMember m : members) {
            await("no member has its quorum", () -> !m.quorum().present());
        }
        await("A sees two members", () -> members.get(0).hazelcast().getCluster().getMembers().size() == 2);
        await("C sees two members", () -> members.get(2).hazelcast().getCluster().getMembers().size() == 2);

        for (int i = 0; i < members.size(); i++) {
            HazelcastNumberRegistry r = registries.get(i);
            String side = "member " + i;
            NoQuorumException refused = assertThrows(NoQuorumException.class,
                    () -> r.putFraudNumber(Records.fraud("+86 170 0000 0009"), side), side);
            assertEquals("registry: no quorum, 2 of 4 members visible (quorum 3)", refused.getMessage());
            assertThrows(NoQuorumException.class, () -> r.revokeWarningNumber(card, side), side);
            assertTrue(r.brandableCard(card, NOW).isEmpty(), side + ": no card it cannot confirm");
            assertTrue(!members.get(i).quorum().mayDispatchWork(), side);
        }
        assertTrue(stores.fraudNumbers().rows.isEmpty(), "no refused write reached the database");

        // Work may be added on both halves, but neither half takes any.
        events.get(0).publish(event("split-a")).toCompletableFuture().get();
        events.get(2).publish(event("split-c")).toCompletableFuture().get();
        for (int i = 0; i < members.size(); i++) {
            assertEquals(List.of(), events.get(i).claim("consumer-" + i, 10, Duration.ofMinutes(1)), "member " + i);
        }

        heal(Set.of(2, 3), 0);
        for (RegistryMember m : members) {
            await("quorum back on every member after the heal and reload",
                    () -> m.quorum().present() && m.hazelcast().getCluster().getMembers().size() == 4);
        }
        registries.get(3).putFraudNumber(Records.fraud("+86 170 0000 0009"), "healed");
        assertTrue(stores.fraudNumbers().rows.containsKey("+8617000000009"), "writes are acknowledged again");
        List<String> claimed = new ArrayList<>();
        await("the events published during the split are claimed after it", () -> {
            events.get(1).claim("consumer-b", 10, Duration.ofMinutes(1)).forEach(e -> claimed.add(e.id()));
            return claimed.contains("split-a");
        });
        // split-c was published on the other half: a put-if-absent merge keeps it, or its row is reloaded.
        await("and the other half's event too", () -> {
            events.get(1).claim("consumer-b", 10, Duration.ofMinutes(1)).forEach(e -> claimed.add(e.id()));
            return claimed.contains("split-c");
        });
        assertEquals(claimed.size(), Set.copyOf(claimed).size(), "each event claimed once: " + claimed);
    }

    /** Four members with the default quorum; the first three start together because each waits for 3. */
    private void start() throws Exception {
        List<RegistryConfig> configs = TestClusters.configs(4).stream()
                .map(c -> c.toBuilder().quorum(0).mergeCheckInterval(Duration.ofHours(1)).build())
                .toList();
        assertEquals(3, configs.get(0).quorum(), "the default quorum is a majority of four");
        CompletableFuture<RegistryMember> first = CompletableFuture.supplyAsync(() -> RegistryMember.start(configs.get(0), stores));
        CompletableFuture<RegistryMember> second = CompletableFuture.supplyAsync(() -> RegistryMember.start(configs.get(1), stores));
        RegistryMember third = RegistryMember.start(configs.get(2), stores);
        members.add(first.get());
        members.add(second.get());
        members.add(third);
        members.add(RegistryMember.start(configs.get(3), stores));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        for (RegistryMember m : members) {
            registries.add(new HazelcastNumberRegistry(m, stores.audit()));
            events.add(new HazelcastContactEventLog(m, clock));
        }
        await("four members", () -> members.get(3).hazelcast().getCluster().getMembers().size() == 4);
    }

    /**
     * Every member of one side suspects every member of the other, and the other way round. The side
     * without the master goes first, last member first, so that when its first member suspects the
     * master and claims mastership the others of its side already agree; were the master first, it
     * would remove them one by one and tell each the shrunk list, and they would end up alone.
     */
    private void split(Set<Integer> withMaster, Set<Integer> without) {
        List<Integer> others = new ArrayList<>(without);
        others.sort(java.util.Comparator.reverseOrder());
        for (int r : others) {
            for (int l : withMaster) {
                suspect(r, l);
            }
        }
        for (int l : withMaster) {
            for (int r : without) {
                suspect(l, r);
            }
        }
    }

    private void suspect(int who, int whom) {
        Node by = node(who);
        Member m = by.getClusterService().getMember(node(whom).getThisAddress());
        if (m != null) {
            by.getClusterService().suspectMember(m, "test: equal split", true);
        }
    }

    /** Merges the members of one half into the cluster of member {@code into}, as Hazelcast's merge check would. */
    private void heal(Set<Integer> half, int into) {
        for (int i : half) {
            node(i).getClusterService().merge(node(into).getClusterService().getMasterAddress());
        }
    }

    private Node node(int i) {
        return ((HazelcastInstanceProxy) members.get(i).hazelcast()).getOriginal().node;
    }

    private static ContactEvent event(String id) {
        return new ContactEvent(id, PhoneNumbers.parse("13800138000"), PhoneNumbers.parse("17012345678"),
                ContactEvent.Direction.FRAUD_TO_SUBSCRIBER, id + "@host", NOW, "trunk-a", FraudType.FAKE_CUSTOMER_SERVICE);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + HANG_GUARD.toSeconds() + " s (hang guard): " + what);
            }
            Thread.sleep(20);
        }
    }
}
