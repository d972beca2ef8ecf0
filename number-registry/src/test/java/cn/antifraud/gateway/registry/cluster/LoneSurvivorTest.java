package cn.antifraud.gateway.registry.cluster;

import static cn.antifraud.gateway.registry.cluster.QuorumClusters.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.NoQuorumException;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two of three members (quorum 2) gone at once, as when a SIGSTOP on a loaded machine also made the two
 * others miss each other's heartbeats (bin/test's split-brain drill at load 20): the survivor is alone,
 * without quorum, and owns partitions whose both replicas were on the lost members. Hazelcast loads
 * those partitions again from the database. With Hazelcast's split-brain protection on the registry maps
 * that load was refused ("Loading completed exceptionally ... SplitBrainProtectionException") and the
 * partitions stayed "still loading data from external store" for good, also after the cluster was whole
 * again: every read and write of their keys failed. The quorum is now enforced by the registry before
 * each write ({@link RegistryQuorum}), and loading is never refused. And where Hazelcast does not load a
 * lost partition again, the numbers it held were simply gone until a restart: {@link LostPartitionRepair}
 * reloads them.
 */
class LoneSurvivorTest {

    private static final int FRAUD_NUMBERS = 300;

    private final MemoryStores stores = new MemoryStores();
    private final List<RegistryMember> members = new ArrayList<>();

    @AfterEach
    void stop() {
        TestClusters.closeAll(members);
    }

    @Test
    void aSurvivorOfTwoLostMembersServesEveryNumberAndTheRejoinedClusterWritesAgain() throws Exception {
        List<RegistryConfig> configs = QuorumClusters.configs(3, RegistryConfig.NoQuorumBranding.UNBRANDED);
        members.addAll(QuorumClusters.start(configs, stores));
        HazelcastNumberRegistry a = new HazelcastNumberRegistry(members.get(0), stores.audit());
        List<PhoneNumber> numbers = new ArrayList<>();
        for (int i = 0; i < FRAUD_NUMBERS; i++) {
            String n = String.format("+86 170 %04d %04d", i / 10_000, i % 10_000);
            a.putFraudNumber(Records.fraud(n), "test");
            numbers.add(PhoneNumbers.parse(n));
        }

        // B and C die at once: A is alone and has lost the partitions both of them held.
        members.get(1).hazelcast().getLifecycleService().terminate();
        members.get(2).hazelcast().getLifecycleService().terminate();
        await("A sees only itself", () -> members.get(0).hazelcast().getCluster().getMembers().size() == 1);
        // The quorum follows the member list through a membership event, delivered a moment later.
        await("A knows it has no quorum", () -> !members.get(0).quorum().present());

        assertThrows(NoQuorumException.class, () -> a.putFraudNumber(Records.fraud("+86 171 0000 0001"), "alone"),
                "alone, the survivor refuses writes");
        // The lost partitions come back from the database (LostPartitionRepair), though A has no quorum.
        await("alone, the survivor knows every number again", () -> numbers.stream().allMatch(n -> a.fraudNumber(n).isPresent()));
        assertEquals(FRAUD_NUMBERS, members.get(0).fraudNumbers().size(), "every number, once");

        // B and C come back and join A (a normal join: A is still a cluster).
        members.set(1, RegistryMember.start(configs.get(1), stores));
        members.set(2, RegistryMember.start(configs.get(2), stores));
        await("three members again", () -> members.get(0).hazelcast().getCluster().getMembers().size() == 3);
        await("every member has its quorum", () -> members.stream().allMatch(m -> m.quorum().present()));
        for (RegistryMember m : members) {
            HazelcastNumberRegistry r = new HazelcastNumberRegistry(m, stores.audit());
            for (PhoneNumber n : numbers) {
                assertTrue(r.fraudNumber(n).isPresent(), "after the rejoin " + n.e164() + " via " + m.config().port());
            }
        }
        HazelcastNumberRegistry c = new HazelcastNumberRegistry(members.get(2), stores.audit());
        c.putFraudNumber(Records.fraud("+86 171 0000 0002"), "rejoined");
        assertTrue(stores.fraudNumbers().rows.containsKey("+8617100000002"), "writes reach the database again");
    }

}
