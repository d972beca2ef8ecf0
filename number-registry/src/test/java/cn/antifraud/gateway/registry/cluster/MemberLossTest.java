package cn.antifraud.gateway.registry.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.Await;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 2: one member of three goes away and no entry is lost (backup count 1). */
class MemberLossTest {

    private static final int ENTRIES = 2_000;

    private List<RegistryMember> members;

    @AfterEach
    void stop() {
        TestClusters.closeAll(members);
    }

    @Test
    void killingOneMemberOfThreeLosesNoEntry() throws InterruptedException {
        MemoryStores stores = new MemoryStores();
        members = TestClusters.start(TestClusters.configs(3), stores);
        Map<Long, FraudNumber> rows = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            FraudNumber f = Records.fraud(String.format("139%08d", i));
            rows.put(RegistryMember.fraudNumberKey(f.number()), f);
        }
        members.get(0).fraudNumbers().putAll(rows);
        // Only the database may still have them; the cluster itself must keep every entry in memory.
        stores.fraudNumbers().rows.clear();

        // terminate() is a crash: no graceful hand-over of partitions, only the backups remain.
        members.get(1).hazelcast().getLifecycleService().terminate();

        RegistryMember survivor = members.get(2);
        awaitSafeTwoMemberCluster(survivor);
        assertEquals(ENTRIES, survivor.fraudNumbers().size(), "no entry lost");
        for (Map.Entry<Long, FraudNumber> row : rows.entrySet()) {
            assertEquals(row.getValue(), survivor.fraudNumbers().get(row.getKey()), "+" + row.getKey());
        }
        assertTrue(new HazelcastNumberRegistry(survivor, stores.audit())
                .fraudNumber(PhoneNumbers.parse("13900000007")).isPresent());
    }

    /** Waits (a hang guard only, not a timing assertion) until the crash is noticed and backups are promoted. */
    private static void awaitSafeTwoMemberCluster(RegistryMember survivor) {
        Await.until("the survivors notice the crash and promote backups",
                () -> survivor.hazelcast().getCluster().getMembers().size() == 2
                        && survivor.hazelcast().getPartitionService().isClusterSafe());
        assertEquals(2, survivor.hazelcast().getCluster().getMembers().size(), "the crash was noticed");
        assertTrue(survivor.hazelcast().getPartitionService().isClusterSafe(), "backups promoted, partitions safe");
    }
}
