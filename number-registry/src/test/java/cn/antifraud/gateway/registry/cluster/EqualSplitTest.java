package cn.antifraud.gateway.registry.cluster;

import static cn.antifraud.gateway.registry.cluster.QuorumClusters.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.NoQuorumException;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import com.hazelcast.cluster.Member;
import com.hazelcast.instance.impl.Node;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: an equal split. Four real members in this JVM (quorum: a majority of four, 3) split 2+2,
 * by mutual suspicion as in {@link SplitBrainTest}. Neither half has a majority, so neither
 * acknowledges a registry write, neither brands, and neither claims a contact event (the work-map rule,
 * {@link RegistryQuorum#mayDispatchWork()}); publishing an event stays possible on both. The heal is
 * covered by {@link SplitBrainTest} and the SIGSTOP drill (loadtest/faults/split_brain.py).
 */
class EqualSplitTest {
    private static final Instant NOW = Records.T0.plus(Duration.ofDays(1));
    /** How often the split's suspicions are repeated while some member still has its quorum. */
    private static final long RESUSPECT_MILLIS = 2_000;

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

        splitUntilNoMemberHasQuorum(Set.of(0, 1), Set.of(2, 3));
        // Forcing the split through suspicions usually gives 2+2; on a busy machine Hazelcast's own membership
        // protocol sometimes also drops a member of a half (1+1+2, seen in a CI run). Either way no part may
        // hold the quorum, which is what this test is about; the shape is not.
        for (RegistryMember m : members) {
            await("every member sees at most two", () -> m.hazelcast().getCluster().getMembers().size() <= 2);
        }

        for (int i = 0; i < members.size(); i++) {
            HazelcastNumberRegistry r = registries.get(i);
            String side = "member " + i;
            NoQuorumException refused = assertThrows(NoQuorumException.class,
                    () -> r.putFraudNumber(Records.fraud("+86 170 0000 0009"), side), side);
            assertTrue(refused.getMessage().matches("registry: no quorum, [12] of 4 members visible \\(quorum 3\\)"),
                    refused.getMessage());
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

        // The heal is not driven here: forcing a merge through Hazelcast's internals passed alone but failed
        // on a busy machine (members left alone after the forced suspicions never rejoined within the hang
        // guard). The heal with real failure detection is the split-brain drill (loadtest/faults/split_brain.py,
        // a bin/test stage) and SplitBrainTest.
    }

    /** Four members with the default quorum (a majority of four: 3). */
    private void start() throws Exception {
        List<RegistryConfig> configs = QuorumClusters.configs(4, RegistryConfig.NoQuorumBranding.UNBRANDED);
        assertEquals(3, configs.get(0).quorum(), "the default quorum is a majority of four");
        members.addAll(QuorumClusters.start(configs, stores));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        for (RegistryMember m : members) {
            registries.add(new HazelcastNumberRegistry(m, stores.audit()));
            events.add(new HazelcastContactEventLog(m, clock));
        }
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

    /**
     * Splits, then waits until no member has its quorum, suspecting again every {@value #RESUSPECT_MILLIS} ms while
     * one still has it: a member that still lists a member of the other half suspects it again, and a member that
     * lists one which no longer lists it back (its half formed without it, so it would otherwise wait for the
     * failure detector, a minute by default) suspects that one. One round of suspicions was not always enough on a
     * busy machine: a CI run (2026-12-03) saw some member keep its quorum for the whole hang guard. On a hang the
     * failure names every member's view.
     */
    private void splitUntilNoMemberHasQuorum(Set<Integer> withMaster, Set<Integer> without) throws InterruptedException {
        split(withMaster, without);
        long deadline = System.nanoTime() + QuorumClusters.HANG_GUARD.toNanos();
        long nextRound = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RESUSPECT_MILLIS);
        while (members.stream().anyMatch(m -> m.quorum().present())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + QuorumClusters.HANG_GUARD.toSeconds()
                        + " s (hang guard): no member has its quorum; views: " + views());
            }
            if (System.nanoTime() > nextRound) {
                for (int i = 0; i < members.size(); i++) {
                    Set<Integer> otherHalf = withMaster.contains(i) ? without : withMaster;
                    for (int j = 0; j < members.size(); j++) {
                        if (i != j && lists(i, j) && (otherHalf.contains(j) || !lists(j, i))) {
                            suspect(i, j);
                        }
                    }
                }
                nextRound = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RESUSPECT_MILLIS);
            }
            Thread.sleep(20);
        }
    }

    /** Whether member {@code who}'s member list holds member {@code whom}. */
    private boolean lists(int who, int whom) {
        return node(who).getClusterService().getMember(node(whom).getThisAddress()) != null;
    }

    /** Each member's view and quorum, for a failure message. */
    private String views() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < members.size(); i++) {
            RegistryMember m = members.get(i);
            b.append("\n  member ").append(i).append(" (").append(node(i).getThisAddress()).append("): ")
                    .append(m.quorum().describe()).append("; master ").append(node(i).getClusterService().getMasterAddress())
                    .append("; sees ").append(m.hazelcast().getCluster().getMembers());
        }
        return b.toString();
    }

    private void suspect(int who, int whom) {
        Node by = node(who);
        Member m = by.getClusterService().getMember(node(whom).getThisAddress());
        if (m != null) {
            by.getClusterService().suspectMember(m, "test: equal split", true);
        }
    }

    private Node node(int i) {
        return QuorumClusters.node(members.get(i).hazelcast());
    }

    private static ContactEvent event(String id) {
        return new ContactEvent(id, PhoneNumbers.parse("13800138000"), PhoneNumbers.parse("17012345678"),
                ContactEvent.Direction.FRAUD_TO_SUBSCRIBER, id + "@host", NOW, "trunk-a", FraudType.FAKE_CUSTOMER_SERVICE);
    }

}
