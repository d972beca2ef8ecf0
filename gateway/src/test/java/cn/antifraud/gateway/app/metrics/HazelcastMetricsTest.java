package cn.antifraud.gateway.app.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code hazelcast_operations_executed_total}: the operations a real member's threads ran, read from Hazelcast's
 * internal count (what {@code loadtest/smpp/intake.py} divides by the warnings posted).
 */
class HazelcastMetricsTest {

    @Test
    void theOperationsCounterRisesByAtLeastTheOperationsRun() {
        Config config = new Config().setClusterName("metrics-" + UUID.randomUUID());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.getNetworkConfig().setPort(0).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        try (GatewayMetrics metrics = new GatewayMetrics()) {
            IMap<String, String> map = member.getMap("numbers");
            metrics.bindHazelcast(member, List.of(map));
            double before = executed(metrics.scrape());
            for (int i = 0; i < 500; i++) {
                map.put("k" + i, "v");
            }
            double after = executed(metrics.scrape());
            assertTrue(after - before >= 500, "500 puts, each an operation: " + before + " -> " + after);
        } finally {
            member.shutdown();
        }
    }

    private static double executed(String scrape) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith("hazelcast_operations_executed_total")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no hazelcast_operations_executed_total in:\n" + scrape);
    }
}
