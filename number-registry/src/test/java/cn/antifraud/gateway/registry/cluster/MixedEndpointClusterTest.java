package cn.antifraud.gateway.registry.cluster;

import static cn.antifraud.gateway.registry.cluster.QuorumClusters.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart from a release whose members used Hazelcast's unified endpoint (before 2026-12-03) to
 * one with the member-only endpoint ({@link RegistryMember}'s network, {@link SilentPeerTest}): both
 * speak the same member protocol on the same port, so a member of each kind joins one cluster and they
 * serve each other's partitions.
 */
class MixedEndpointClusterTest {

    private RegistryMember upgraded;
    private HazelcastInstance previous;

    @AfterEach
    void stop() {
        if (upgraded != null) {
            upgraded.close();
        }
        if (previous != null) {
            previous.shutdown();
        }
    }

    @Test
    void aMemberOfThePreviousReleaseAndAnUpgradedOneFormOneCluster() throws Exception {
        List<RegistryConfig> configs = TestClusters.configs(2);
        MemoryStores stores = new MemoryStores();
        upgraded = RegistryMember.start(configs.get(0), stores);
        previous = Hazelcast.newHazelcastInstance(unifiedEndpoint(configs.get(1), stores));

        await("both see two members", () -> upgraded.hazelcast().getCluster().getMembers().size() == 2
                && previous.getCluster().getMembers().size() == 2);
        IMap<String, String> written = previous.getMap("mixed-endpoint-check");
        for (int i = 0; i < 100; i++) {
            written.put("k" + i, "v" + i);
        }
        IMap<String, String> read = upgraded.hazelcast().getMap("mixed-endpoint-check");
        for (int i = 0; i < 100; i++) {
            assertEquals("v" + i, read.get("k" + i), "key k" + i + " (owners on both members)");
        }
    }

    /** The member config as the previous release built it: the same, on the unified endpoint. */
    private static Config unifiedEndpoint(RegistryConfig c, MemoryStores stores) {
        Config hz = RegistryMember.hazelcastConfig(c, stores);
        hz.getAdvancedNetworkConfig().setEnabled(false);
        NetworkConfig network = hz.getNetworkConfig();
        network.setPort(c.port()).setPortAutoIncrement(false).setPublicAddress(c.bindAddress());
        network.getInterfaces().setEnabled(true).addInterface(c.bindAddress());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(c.members());
        return hz;
    }
}
