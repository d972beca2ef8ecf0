package cn.antifraud.gateway.registry.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The member settings: defaults, validation with clear errors, and the Hazelcast config they make. */
class RegistryConfigTest {

    @Test
    void defaultsAreOneLoopbackMemberWithOneBackup() {
        RegistryConfig c = RegistryConfig.builder().build();
        assertEquals("127.0.0.1", c.bindAddress());
        assertEquals(5701, c.port());
        assertEquals(1, c.backupCount());
        assertEquals(Duration.ofSeconds(1), c.invalidationDelayTarget());
        assertTrue(c.members().isEmpty());
    }

    @Test
    void badSettingsAreNamed() {
        assertMessage("backupCount", () -> RegistryConfig.builder().backupCount(0));
        assertMessage("port", () -> RegistryConfig.builder().port(70000));
        assertMessage("no TLS", () -> RegistryConfig.builder().bindAddress("0.0.0.0"));
        assertMessage("clusterName", () -> RegistryConfig.builder().clusterName(" "));
        assertMessage("member", () -> RegistryConfig.builder().addMember(""));
        assertMessage("invalidationDelayTarget", () -> RegistryConfig.builder().invalidationDelayTarget(Duration.ZERO));
        assertMessage("nearCacheMaxEntries", () -> RegistryConfig.builder().nearCacheMaxEntries(0));
        NullPointerException npe = assertThrows(NullPointerException.class, () -> RegistryConfig.builder().members(null));
        assertEquals("members", npe.getMessage());
    }

    @Test
    void hazelcastConfigJoinsByTcpIpOnlyAndWritesThroughWithNearCaches() {
        RegistryConfig c = RegistryConfig.builder().members(List.of("10.0.0.1:5701", "10.0.0.2:5701")).backupCount(2).build();
        Config hz = RegistryMember.hazelcastConfig(c, new MemoryStores());

        JoinConfig join = hz.getAdvancedNetworkConfig().getJoin();
        assertFalse(join.getMulticastConfig().isEnabled(), "multicast off");
        assertFalse(join.getAutoDetectionConfig().isEnabled(), "auto-detection off");
        assertTrue(join.getTcpIpConfig().isEnabled());
        assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701"), join.getTcpIpConfig().getMembers());
        assertEquals("false", hz.getProperty("hazelcast.map.invalidation.batch.enabled"), "invalidations unbatched for 1 s");

        for (String name : List.of(RegistryMember.WARNING_NUMBERS, RegistryMember.FRAUD_NUMBERS, RegistryMember.FAMILY_CONTACTS)) {
            MapConfig map = hz.getMapConfig(name);
            assertEquals(2, map.getBackupCount(), name);
            assertEquals(0, map.getMapStoreConfig().getWriteDelaySeconds(), name + " write-through");
            assertEquals(MapStoreConfig.InitialLoadMode.EAGER, map.getMapStoreConfig().getInitialLoadMode(), name);
            assertEquals(InMemoryFormat.OBJECT, map.getNearCacheConfig().getInMemoryFormat(), name);
            assertTrue(map.getNearCacheConfig().isCacheLocalEntries(), name);
        }
        MapConfig durable = hz.getMapConfig("durable.sms-jobs");
        assertEquals(0, durable.getMapStoreConfig().getWriteDelaySeconds());
        assertTrue(durable.getMapStoreConfig().getFactoryImplementation() != null, "durable.* maps get the generic store");
    }

    @Test
    void aClusterOfThreeHasQuorumTwoDiscardMergesAndNoHazelcastSplitBrainProtection() {
        RegistryConfig c = RegistryConfig.builder().members(List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"))
                .heartbeatInterval(Duration.ofSeconds(1)).maxNoHeartbeat(Duration.ofSeconds(10))
                .mergeCheckInterval(Duration.ofSeconds(10)).build();
        assertEquals(2, c.quorum());
        Config hz = RegistryMember.hazelcastConfig(c, new MemoryStores());
        // The quorum is the registry's (RegistryQuorum); Hazelcast's protection would refuse its own
        // reloading of lost partitions on a lone member (LoneSurvivorTest).
        assertTrue(hz.getSplitBrainProtectionConfigs().isEmpty());
        for (String name : List.of(RegistryMember.WARNING_NUMBERS, RegistryMember.FRAUD_NUMBERS, RegistryMember.FAMILY_CONTACTS)) {
            assertEquals(null, hz.getMapConfig(name).getSplitBrainProtectionName(), name);
            assertEquals(DiscardMergePolicy.class.getName(), hz.getMapConfig(name).getMergePolicyConfig().getPolicy(), name);
        }
        assertEquals("2", hz.getProperty("hazelcast.initial.min.cluster.size"), "a member starts with its quorum");
        assertEquals("1", hz.getProperty("hazelcast.heartbeat.interval.seconds"));
        assertEquals("10", hz.getProperty("hazelcast.max.no.heartbeat.seconds"));
        assertEquals("10", hz.getProperty("hazelcast.merge.next.run.delay.seconds"));
    }

    @Test
    void aSingleNodeHasQuorumOneAndNoSplitBrainProtection() {
        RegistryConfig c = RegistryConfig.builder().build();
        assertEquals(1, c.quorum());
        assertEquals(RegistryConfig.NoQuorumBranding.UNBRANDED, c.noQuorumBranding());
        Config hz = RegistryMember.hazelcastConfig(c, new MemoryStores());
        assertTrue(hz.getSplitBrainProtectionConfigs().isEmpty());
        assertEquals(null, hz.getProperty("hazelcast.initial.min.cluster.size"));
    }

    @Test
    void badSplitBrainSettingsAreNamed() {
        assertMessage("larger than the 3 configured members",
                () -> RegistryConfig.builder().members(List.of("a", "b", "c")).quorum(4).build());
        assertMessage("whole number of seconds", () -> RegistryConfig.builder().heartbeatInterval(Duration.ofMillis(500)));
        assertMessage("at least twice the heartbeat interval",
                () -> RegistryConfig.builder().heartbeatInterval(Duration.ofSeconds(5)).maxNoHeartbeat(Duration.ofSeconds(6)).build());
        assertMessage("quorum must be", () -> RegistryConfig.builder().quorum(-1));
    }

    @Test
    void slowerInvalidationTargetKeepsBatchingWithinIt() {
        RegistryConfig c = RegistryConfig.builder().invalidationDelayTarget(Duration.ofSeconds(6)).build();
        Config hz = RegistryMember.hazelcastConfig(c, new MemoryStores());
        assertEquals("true", hz.getProperty("hazelcast.map.invalidation.batch.enabled"));
        assertEquals("3", hz.getProperty("hazelcast.map.invalidation.batchfrequency.seconds"));
    }

    private static void assertMessage(String expected, Executable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' names " + expected);
    }
}
