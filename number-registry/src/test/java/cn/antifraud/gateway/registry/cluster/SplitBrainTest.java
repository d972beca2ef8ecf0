package cn.antifraud.gateway.registry.cluster;

import static cn.antifraud.gateway.registry.cluster.QuorumClusters.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.NoQuorumException;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.WarningNumber;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a split brain on three real members (quorum 2) in this JVM. Member C is cut off by
 * suspicion on both sides (Hazelcast's own removal path; its connections are closed), so C is a
 * cluster of one and A+B a cluster of two, as after a SIGSTOP longer than the failure detector. The
 * automatic merge check is set to an hour and the heal is started by the test through Hazelcast's own
 * merge task, so the split lasts exactly as long as the checks need.
 */
class SplitBrainTest {

    private static final Instant NOW = Records.T0.plus(Duration.ofDays(1));

    private final MemoryStores stores = new MemoryStores();
    private final List<RegistryMember> members = new ArrayList<>();
    private final List<HazelcastNumberRegistry> registries = new ArrayList<>();

    @AfterEach
    void stop() {
        registries.forEach(HazelcastNumberRegistry::close);
        TestClusters.closeAll(members);
    }

    @Test
    void theMinorityRefusesWritesAndCardsAndAfterTheMergeTheDatabaseIsTheTruth() throws Exception {
        start(RegistryConfig.NoQuorumBranding.UNBRANDED);
        HazelcastNumberRegistry a = registries.get(0);
        HazelcastNumberRegistry c = registries.get(2);
        PhoneNumber revokedCard = PhoneNumbers.parse("+86 10 9611 0001");
        PhoneNumber keptCard = PhoneNumbers.parse("+86 10 9611 0002");
        PhoneNumber deletedFraud = PhoneNumbers.parse("+86 170 0000 0001");
        PhoneNumber keptFraud = PhoneNumbers.parse("+86 170 0000 0002");
        a.putWarningNumber(Records.card("+86 10 9611 0001", "反诈中心"), "test");
        a.putWarningNumber(Records.card("+86 10 9611 0002", "反诈中心"), "test");
        a.putFraudNumber(Records.fraud("+86 170 0000 0001"), "test");
        a.putFraudNumber(Records.fraud("+86 170 0000 0002"), "test");
        await("C brands the card before the split", () -> c.brandableCard(revokedCard, NOW).isPresent());

        split(2);
        await("C sees only itself", () -> !members.get(2).quorum().present());
        await("A and B see each other only", () -> members.get(0).hazelcast().getCluster().getMembers().size() == 2);

        NoQuorumException refused = assertThrows(NoQuorumException.class,
                () -> c.putWarningNumber(Records.card("+86 10 9611 0003", "反诈中心"), "minority"));
        assertEquals("registry: no quorum, 1 of 3 members visible (quorum 2)", refused.getMessage());
        assertThrows(NoQuorumException.class, () -> c.removeFraudNumber(keptFraud, "minority"));
        assertThrows(NoQuorumException.class, () -> c.revokeWarningNumber(keptCard, "minority"));
        assertTrue(stores.fraudNumbers().rows.containsKey(keptFraud.e164()), "a refused delete wrote nothing");
        assertFalse(stores.warningNumbers().rows.containsKey("+861096110003"), "a refused put wrote nothing");
        assertTrue(c.brandableCard(keptCard, NOW).isEmpty(), "no quorum: no card, not even a valid one");
        assertThrows(NoQuorumException.class, () -> c.currentCard(keptCard, NOW), "GET /cards answers 503 too");
        assertTrue(c.registered(revokedCard).isPresent(), "spoof detection still knows the number");

        // The majority writes, and what a cut-off member may have put in the database just before it
        // knew it was cut off: a row the majority's map lacks, and an entry whose row was deleted.
        a.revokeWarningNumber(revokedCard, "majority");
        a.removeFraudNumber(deletedFraud, "majority");
        a.putFraudNumber(Records.fraud("+86 170 0000 0003"), "majority");
        PhoneNumber rowOnly = PhoneNumbers.parse("+86 170 0000 0004");
        stores.fraudNumbers().rows.put(rowOnly.e164(), Records.fraud("+86 170 0000 0004"));
        PhoneNumber entryOnly = PhoneNumbers.parse("+86 170 0000 0005");
        members.get(0).fraudNumbers().putTransient(RegistryMember.fraudNumberKey(entryOnly),
                Records.fraud("+86 170 0000 0005"), 0, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(c.brandableCard(revokedCard, NOW).isEmpty(), "the minority serves no revoked card");

        heal(2, 0);
        await("C is back in a cluster of three with its quorum, after its reload",
                () -> members.get(2).quorum().present() && members.get(2).hazelcast().getCluster().getMembers().size() == 3);

        for (HazelcastNumberRegistry r : registries) {
            assertTrue(r.warningNumber(revokedCard).map(WarningNumber::revoked).orElse(false), "revocation kept");
            assertTrue(r.fraudNumber(deletedFraud).isEmpty(), "the acknowledged delete is not undone");
            assertTrue(r.fraudNumber(keptFraud).isPresent());
            assertTrue(r.fraudNumber(PhoneNumbers.parse("+86 170 0000 0003")).isPresent(), "majority's write kept");
            assertTrue(r.fraudNumber(rowOnly).isPresent(), "a row in the database is loaded");
            assertTrue(r.fraudNumber(entryOnly).isEmpty(), "an entry without a row is evicted");
        }
        assertFalse(stores.fraudNumbers().rows.containsKey(deletedFraud.e164()), "the delete stays in the database");
        await("C brands the valid card again", () -> c.brandableCard(keptCard, NOW).isPresent());
        assertTrue(c.currentCard(revokedCard, NOW).isEmpty(), "GET /cards on C: the revoked card is gone");
        for (HazelcastNumberRegistry r : registries) {
            assertTrue(r.brandableCard(revokedCard, NOW).isEmpty(), "no member brands the revoked card");
        }
        FraudNumber afterHeal = Records.fraud("+86 170 0000 0006");
        c.putFraudNumber(afterHeal, "healed");
        assertTrue(stores.fraudNumbers().rows.containsKey(afterHeal.number().e164()), "C writes again");
    }

    /**
     * The split the drill found at load 20 (docs/notes/test-robustness.md): C is frozen away, the majority
     * revokes a card, then A and B lose each other too (1+1+1), and Hazelcast merges A and B into C's
     * cluster, the stale one. C sees no merge of its own, only its quorum coming back: it must reload
     * before it brands again ({@link SplitHeal}).
     */
    @Test
    void theStaleSideTheOthersMergeIntoReloadsBeforeItBrandsAgain() throws Exception {
        start(RegistryConfig.NoQuorumBranding.UNBRANDED);
        HazelcastNumberRegistry a = registries.get(0);
        HazelcastNumberRegistry c = registries.get(2);
        PhoneNumber revokedCard = PhoneNumbers.parse("+86 10 9611 0001");
        PhoneNumber keptCard = PhoneNumbers.parse("+86 10 9611 0002");
        a.putWarningNumber(Records.card("+86 10 9611 0001", "反诈中心"), "test");
        a.putWarningNumber(Records.card("+86 10 9611 0002", "反诈中心"), "test");
        await("C brands the card before the split", () -> c.brandableCard(revokedCard, NOW).isPresent());

        split(2);
        await("C sees only itself", () -> !members.get(2).quorum().present());
        await("A and B see each other only", () -> members.get(0).hazelcast().getCluster().getMembers().size() == 2);
        a.revokeWarningNumber(revokedCard, "majority");
        split(1);
        await("A, B and C are each alone", () -> members.stream().allMatch(m -> m.hazelcast().getCluster().getMembers().size() == 1));

        // The database stalls every reload: C's maps (now the cluster's) stay the minority's until one ends.
        java.util.concurrent.CountDownLatch database = new java.util.concurrent.CountDownLatch(1);
        stores.warningNumbers().bulkLoadGate = database;
        heal(0, 2);
        await("A joined C's cluster", () -> members.get(2).hazelcast().getCluster().getMembers().size() == 2);
        assertTrue(c.brandableCard(revokedCard, NOW).isEmpty(), "C has 2 of 3 members again but has not reloaded: no card");
        assertFalse(members.get(2).quorum().present(), members.get(2).quorum().describe());
        database.countDown();
        stores.warningNumbers().bulkLoadGate = null;
        heal(1, 2);
        await("C is in a cluster of three with its quorum again",
                () -> members.get(2).quorum().present() && members.get(2).hazelcast().getCluster().getMembers().size() == 3);
        assertTrue(c.brandableCard(revokedCard, NOW).isEmpty(), "C does not brand the card revoked while it was away");
        assertTrue(c.warningNumber(revokedCard).map(WarningNumber::revoked).orElse(false), "C's maps have the revocation");
        await("every member has its quorum", () -> members.stream().allMatch(m -> m.quorum().present()));
        for (HazelcastNumberRegistry r : registries) {
            assertTrue(r.brandableCard(revokedCard, NOW).isEmpty(), "no member brands the revoked card");
        }
        await("C brands the valid card again", () -> c.brandableCard(keptCard, NOW).isPresent());
    }

    @Test
    void lastKnownBrandingKeepsServingTheCachedCardWithoutQuorum() throws Exception {
        start(RegistryConfig.NoQuorumBranding.LAST_KNOWN);
        HazelcastNumberRegistry a = registries.get(0);
        HazelcastNumberRegistry c = registries.get(2);
        PhoneNumber card = PhoneNumbers.parse("+86 10 9611 0001");
        a.putWarningNumber(Records.card("+86 10 9611 0001", "反诈中心"), "test");
        await("C brands the card before the split", () -> c.brandableCard(card, NOW).isPresent());

        split(2);
        await("C sees only itself", () -> !members.get(2).quorum().present());

        assertTrue(c.brandableCard(card, NOW).isPresent(), "last-known: the cached card is still served");
        assertTrue(c.currentCard(card, NOW).isPresent(), "and GET /cards serves it");
        assertThrows(NoQuorumException.class, () -> c.revokeWarningNumber(card, "minority"), "but writes are refused");
    }

    /** Three members with the default quorum (2). */
    private void start(RegistryConfig.NoQuorumBranding branding) throws Exception {
        List<RegistryConfig> configs = QuorumClusters.configs(3, branding);
        assertEquals(2, configs.get(0).quorum(), "the default quorum is a majority of the members");
        members.addAll(QuorumClusters.start(configs, stores));
        for (RegistryMember m : members) {
            registries.add(new HazelcastNumberRegistry(m, stores.audit()));
        }
    }

    /** Cuts member {@code cut} off: it suspects every other member, and they suspect it. */
    private void split(int cut) {
        Node lonely = node(members.get(cut).hazelcast());
        for (int i = 0; i < members.size(); i++) {
            if (i == cut) {
                continue;
            }
            Node other = node(members.get(i).hazelcast());
            Member otherSeenByLonely = lonely.getClusterService().getMember(other.getThisAddress());
            Member lonelySeenByOther = other.getClusterService().getMember(lonely.getThisAddress());
            if (lonelySeenByOther != null) {
                other.getClusterService().suspectMember(lonelySeenByOther, "test: split brain", true);
            }
            if (otherSeenByLonely != null) {
                lonely.getClusterService().suspectMember(otherSeenByLonely, "test: split brain", true);
            }
        }
    }

    /** Merges the cut-off member into the cluster of member {@code into}, as Hazelcast's merge check would. */
    private void heal(int cut, int into) {
        Node lonely = node(members.get(cut).hazelcast());
        Node target = node(members.get(into).hazelcast());
        lonely.getClusterService().merge(target.getClusterService().getMasterAddress());
    }

    private static Node node(HazelcastInstance instance) {
        return QuorumClusters.node(instance);
    }

}
