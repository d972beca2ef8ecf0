package cn.antifraud.gateway.registry.cluster;

import static cn.antifraud.gateway.registry.cluster.QuorumClusters.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The start's progress line: what it names, that it repeats while the start lasts, and that it stops. */
class JoinProgressLogTest {

    @Test
    void repeatsWhileStartingNamesTheMembersAndStopsWhenClosed() throws Exception {
        RegistryConfig config = RegistryConfig.builder().members(List.of("10.0.0.11:5701", "10.0.0.12:5701", "10.0.0.13:5701"))
                .build();
        List<String> lines = new CopyOnWriteArrayList<>();
        JoinProgressLog log = new JoinProgressLog(config, Duration.ofMillis(20), lines::add);
        await("two progress lines", () -> lines.size() >= 2);
        log.close();
        await("the logging stopped", log::stopped);
        int atClose = lines.size();

        String line = lines.get(0);
        assertTrue(line.startsWith("cluster: still joining after "), line);
        assertTrue(line.contains("cluster.members [10.0.0.11:5701, 10.0.0.12:5701, 10.0.0.13:5701]"), line);
        assertTrue(line.contains("it starts once 2 members have joined"), line + " (quorum: a majority of 3)");
        assertTrue(line.contains("docs/runbook.md"), line);
        assertEquals(atClose, lines.size(), "nothing logged once stopped");
    }

    @Test
    void aSingleNodeIsNotSaidToWaitForOthers() {
        String line = JoinProgressLog.message(RegistryConfig.builder().build(), 30);
        assertTrue(line.startsWith("cluster: still joining after 30 s; cluster.members []. "), line);
    }
}
