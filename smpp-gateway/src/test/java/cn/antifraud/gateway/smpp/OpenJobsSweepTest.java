package cn.antifraud.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.smpp.sim.NodeSmsc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep's frequent pass reads the jobs not yet final only (the open-jobs index), not every final job kept
 * for {@code smpp.job-retention}; the housekeeping pass still reads every job. Against the node-smpp SMSC: the
 * jobs are sent, delivered, and then cost the frequent pass nothing.
 */
class OpenJobsSweepTest {
    private static final Duration PATIENCE = Duration.ofMinutes(5);
    private static final int WARNINGS = 200;
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new TestCluster(1);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void finalJobsAreReadByTheHousekeepingPassOnly(@TempDir Path work) throws Exception {
        GatewayFixture fx = new GatewayFixture();
        try (NodeSmsc smsc = new NodeSmsc(work.resolve("smsc"), "--receipt-delay-ms", "20");
             SmppGateway gw = fx.gateway(SmppGatewayConfig.builder()
                     .addSmsc(SmscConfig.builder().name("sim").host("127.0.0.1").port(smsc.port())
                             .addBind(BindConfig.builder().systemId("antifraud").password("secret").build()).build())
                     .sweepInterval(Duration.ofMillis(50))
                     .housekeepingWhileDown(Duration.ofSeconds(2))
                     .drainTimeout(Duration.ofSeconds(2))
                     .build(), cluster.stores(0))) {
            gw.start();
            Await.until("bind up", PATIENCE, () -> gw.health().stream().anyMatch(BindHealth::isBound));
            List<String> jobIds = new ArrayList<>();
            for (int i = 0; i < WARNINGS; i++) {
                WarningRecord w = gw.warnings().warn(new WarningRequest(PhoneNumbers.parse(String.format("135%08d", i)),
                        FraudType.FAKE_LOAN, 1, null, WarningRequest.Source.POLICE)).toCompletableFuture().join();
                jobIds.addAll(w.jobIds());
            }
            Set<String> notDelivered = new HashSet<>(jobIds);
            Await.until("every job delivered", PATIENCE, () -> {
                notDelivered.removeIf(id -> gw.job(id).orElseThrow().state() == JobState.DELIVERED);
                return notDelivered.isEmpty();
            });
            assertTrue(fx.counter("smpp.sweeps", "pass", "open_jobs") > 0, "frequent passes ran meanwhile");

            // Every job is final: frequent passes in a row now read none (a pass that began before the last
            // job's index entry went may still read it once, hence "in a row").
            Await.until("three frequent passes in a row that read no job", PATIENCE, () -> {
                double passes = fx.counter("smpp.sweeps", "pass", "open_jobs");
                double read = fx.counter("smpp.sweep.jobs_read", "pass", "open_jobs");
                Await.until("three more frequent passes", PATIENCE,
                        () -> fx.counter("smpp.sweeps", "pass", "open_jobs") >= passes + 3);
                return fx.counter("smpp.sweep.jobs_read", "pass", "open_jobs") == read;
            });
            // The housekeeping pass (purge past retention, index repair) still reads every job.
            double housekeepingReads = fx.counter("smpp.sweep.jobs_read", "pass", "housekeeping");
            Await.until("a housekeeping pass that read every job", PATIENCE,
                    () -> fx.counter("smpp.sweep.jobs_read", "pass", "housekeeping") >= housekeepingReads + jobIds.size());
            assertEquals(0.0, fx.counter("smpp.sweep.open_index_repaired"), "every job was indexed when it was created");
        }
    }
}
