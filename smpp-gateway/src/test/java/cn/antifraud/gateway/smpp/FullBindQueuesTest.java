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
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst far larger than the binds' queues: jobs wait, unleased and unwritten, until the queues have room,
 * instead of being sent into full queues, bounced as NO_BIND and retried (a journaled attempt each: 3.3 per
 * warning in a 10,000-warning burst against 4 binds of 1,000). Against the node-smpp SMSC, one bind with a
 * queue of 4: every part reaches the SMSC once and every job is delivered.
 */
class FullBindQueuesTest {
    private static final Duration PATIENCE = Duration.ofMinutes(5);
    private static final int WARNINGS = 150;

    @Test
    void aBurstWaitsForQueueRoomInsteadOfBouncingOffFullQueues(@TempDir Path work) throws Exception {
        GatewayFixture fx = burst(work, Duration.ofMillis(50));
        double deferred = fx.counter("smpp.jobs.dispatch_deferred", "reason", "bind_queues_full");
        double bounced = fx.counter("smpp.jobs.retries", "reason", "no_bind");
        assertTrue(deferred > 0, "the queues were full, and jobs waited for room");
        assertTrue(bounced < deferred, "jobs mostly waited rather than bounced off full queues: " + bounced
                + " NO_BIND retries, " + deferred + " deferrals");
    }

    /**
     * With no sweep at all (its interval an hour), the deferred jobs are released as room frees, each
     * recorded attempt handing on to the next: before, they waited for the sweep's next pass. And none is sent
     * into a full queue: a dispatch holds its room from before its lease until its parts are queued (checked
     * but not held, 32 dispatch threads saw the same room; 7% of a 40,000-warning burst bounced).
     */
    @Test
    void deferredJobsGoOutAsRoomFreesWithoutTheSweepAndNoneBounces(@TempDir Path work) throws Exception {
        GatewayFixture fx = burst(work, Duration.ofHours(1));
        assertTrue(fx.counter("smpp.jobs.dispatch_deferred", "reason", "bind_queues_full") > 0,
                "the queues were full, and jobs waited for room");
        assertEquals(0, fx.counter("smpp.jobs.retries", "reason", "no_bind"), "no job found all its parts' queue full");
        assertEquals(0, fx.counter("smpp.jobs.retries", "reason", "temporary"), "no part found its queue full");
    }

    /** Sends {@link #WARNINGS} warnings through one bind with a queue of 4; returns once every job is delivered. */
    private static GatewayFixture burst(Path work, Duration sweepInterval) throws Exception {
        GatewayFixture fx = new GatewayFixture();
        try (TestCluster cluster = new TestCluster(1);
             NodeSmsc smsc = new NodeSmsc(work.resolve("smsc"), "--receipt-delay-ms", "20");
             SmppGateway gw = fx.gateway(SmppGatewayConfig.builder()
                     .addSmsc(SmscConfig.builder().name("sim").host("127.0.0.1").port(smsc.port())
                             .addBind(BindConfig.builder().systemId("antifraud").password("secret").build()).build())
                     .windowSize(2)
                     .queuePerBind(4)
                     .sweepInterval(sweepInterval)
                     .drainTimeout(Duration.ofSeconds(2))
                     .build(), cluster.stores(0))) {
            gw.start();
            Await.until("bind up", PATIENCE, () -> gw.health().stream().anyMatch(BindHealth::isBound));
            List<WarningRequest> burst = new ArrayList<>();
            for (int i = 0; i < WARNINGS; i++) {
                burst.add(new WarningRequest(PhoneNumbers.parse(String.format("136%08d", i)), FraudType.FAKE_LOAN, 1, null,
                        WarningRequest.Source.POLICE));
            }
            List<String> jobIds = new ArrayList<>();
            for (CompletionStage<WarningRecord> w : gw.warnings().warnAll(burst)) {
                jobIds.addAll(w.toCompletableFuture().join().jobIds());
            }
            Set<String> notDelivered = new HashSet<>(jobIds);
            try {
                Await.until("every job delivered", PATIENCE, () -> {
                    notDelivered.removeIf(id -> gw.job(id).orElseThrow().state() == JobState.DELIVERED);
                    return notDelivered.isEmpty();
                });
            } catch (AssertionError hung) {
                // What a hang needs to be understood: each job left, the counters and gauges, the SMS threads.
                StringBuilder why = new StringBuilder(hung.getMessage()).append(": ");
                for (String id : notDelivered) {
                    SmsJob j = gw.job(id).orElseThrow();
                    why.append(id).append(' ').append(j.state()).append(' ').append(j.partStates()).append(" lease ")
                            .append(j.leaseOwner()).append(" attempts ").append(j.attempts()).append(" next ")
                            .append(j.nextAttemptAt()).append("; ");
                }
                fx.meters.getMeters().forEach(m -> m.measure().forEach(v -> why.append(m.getId().getName())
                        .append(m.getId().getTags()).append('=').append(v.getValue()).append(' ')));
                Thread.getAllStackTraces().forEach((t, st) -> {
                    if (t.getName().startsWith("smpp") || t.getName().startsWith("ForkJoin")) {
                        why.append("\n").append(t.getName()).append(' ').append(t.getState());
                        for (int k = 0; k < Math.min(12, st.length); k++) {
                            why.append("\n    ").append(st[k]);
                        }
                    }
                });
                throw new AssertionError(why.toString(), hung);
            }
            int parts = jobIds.stream().mapToInt(id -> gw.job(id).orElseThrow().parts()).sum();
            assertEquals(parts, smsc.receiptsSent().size(), "every part reached the SMSC once");
        }
        return fx;
    }
}
