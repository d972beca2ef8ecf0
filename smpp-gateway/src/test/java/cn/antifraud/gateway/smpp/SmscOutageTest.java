package cn.antifraud.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.smpp.sim.NodeSmsc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
 * An SMSC outage with warnings queued (issue 11): while no bind is up, jobs wait untouched (no dispatch,
 * no retry, no write after their creation) and nothing expires; once the SMSC is back, every warning is sent.
 */
class SmscOutageTest {
    private static final Duration PATIENCE = Duration.ofMinutes(5);
    private static final int WARNINGS = 300;
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
    void warningsQueuedDuringAnOutageWaitUntouchedAndAreAllSentWhenTheSmscIsBack(@TempDir Path work) throws Exception {
        int port = freePort();
        GatewayFixture fx = new GatewayFixture();
        SmppGatewayConfig config = SmppGatewayConfig.builder()
                .addSmsc(SmscConfig.builder().name("outage-" + port).host("127.0.0.1").port(port)
                        .addBind(BindConfig.builder().systemId("antifraud").password("secret").build()).build())
                .reconnectBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(300)))
                .bindTimeout(Duration.ofSeconds(2))
                .sweepInterval(Duration.ofMillis(100))
                .drainTimeout(Duration.ofSeconds(2))
                // A max age far shorter than the outage: it must not count while no bind is up.
                .retryPolicy(new RetryPolicy(Duration.ofSeconds(1), new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), true))
                .build();
        try (SmppGateway gw = fx.gateway(config, cluster.stores(0))) {
            NodeSmsc first = new NodeSmsc(work.resolve("before"), "--port", String.valueOf(port));
            gw.start();
            Await.until("bind up", PATIENCE, () -> gw.health().stream().anyMatch(BindHealth::isBound));
            first.close();
            Await.until("bind down", PATIENCE, () -> gw.health().stream().noneMatch(BindHealth::isBound));

            List<String> jobIds = new ArrayList<>();
            for (int i = 0; i < WARNINGS; i++) {
                WarningRecord w = gw.warnings().warn(new WarningRequest(PhoneNumbers.parse(String.format("134%08d", i)),
                        FraudType.FAKE_LOAN, 1, null, WarningRequest.Source.POLICE)).toCompletableFuture().join();
                jobIds.addAll(w.jobIds());
            }
            double sweepsBefore = fx.counter("smpp.sweeps", "pass", "waiting_for_bind");
            // Twenty sweep rounds pass with the jobs queued and no bind: each must leave them alone.
            Await.until("20 sweeps while down", PATIENCE, () -> fx.counter("smpp.sweeps", "pass", "waiting_for_bind") >= sweepsBefore + 20);
            for (String id : jobIds) {
                SmsJob job = gw.job(id).orElseThrow();
                assertEquals(JobState.QUEUED, job.state(), job.toString());
                assertEquals(job.createdAt(), job.updatedAt(), "not written since it was created: " + job);
                assertEquals(0, job.attempts());
            }
            assertEquals(0.0, fx.counter("smpp.jobs.retries"), "no dispatch found no bind, none was retried");

            try (NodeSmsc back = new NodeSmsc(work.resolve("after"), "--port", String.valueOf(port), "--receipt-delay-ms", "20")) {
                Set<String> open = new HashSet<>(jobIds);
                Await.until("every job delivered", PATIENCE, () -> {
                    open.removeIf(id -> gw.job(id).orElseThrow().state() == JobState.DELIVERED);
                    return open.isEmpty();
                }, () -> open.size() + " not delivered, e.g. " + open.stream().limit(2).map(id -> gw.job(id).orElseThrow()).toList());
                // The final counter is incremented just after the state is stored: wait for it, do not race it.
                Await.until("every final state counted", PATIENCE,
                        () -> fx.counter("smpp.jobs.final", "state", "DELIVERED") == jobIds.size());
                assertTrue(back.receiptsSent().size() >= 2 * WARNINGS, "every part of every warning reached the SMSC once back");
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
