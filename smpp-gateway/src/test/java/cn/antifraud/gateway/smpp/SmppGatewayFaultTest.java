package cn.antifraud.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.smpp.encoding.SmsKind;
import cn.antifraud.gateway.smpp.internal.SmsWorkStores;
import cn.antifraud.gateway.smpp.sim.SmscSimulator;
import cn.antifraud.gateway.registry.work.WorkStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway when the SMSC throttles, drops the link, refuses the password, and when a gateway node dies. */
class SmppGatewayFaultTest {
    private static final Logger LOG = LoggerFactory.getLogger(SmppGatewayFaultTest.class);
    /** Only against a hang: every wait ends on its condition, a loaded machine just gets there later. */
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private static WarningRecord warn(SmppGateway gw, String subscriber) {
        return gw.warnings().warn(new WarningRequest(PhoneNumbers.parse(subscriber), FraudType.BRUSHING_REBATE, 1,
                PhoneNumbers.parse("17100002222"), WarningRequest.Source.CONTACT_EVENT)).toCompletableFuture().join();
    }

    private static List<SmsJob> jobsOf(SmppGateway gw, List<WarningRecord> warnings) {
        List<SmsJob> jobs = new ArrayList<>();
        for (WarningRecord w : warnings) {
            jobs.addAll(gw.warnings().status(w.id()).toCompletableFuture().join().orElseThrow().jobs());
        }
        return jobs;
    }

    private static void awaitDelivered(SmppGateway gw, List<WarningRecord> warnings) {
        Await.until("all jobs DELIVERED", PATIENCE,
                () -> jobsOf(gw, warnings).stream().allMatch(j -> j.state() == JobState.DELIVERED),
                () -> jobsOf(gw, warnings).stream().filter(j -> j.state() != JobState.DELIVERED).toList().toString());
    }

    @Test
    void throttledSubmitsAreRetriedWithBackoffAndDelivered() throws Exception {
        GatewayFixture fx = new GatewayFixture();
        try (TestCluster cluster = new TestCluster(1);
             SmscSimulator smsc = new SmscSimulator("secret").statusScript(n -> n < 3 ? 0x58 : 0).start();
             SmppGateway gw = fx.gateway(GatewayFixture.config(smsc, "secret", 1).build(), cluster.stores(0))) {
            gw.start();
            List<WarningRecord> w = List.of(warn(gw, "13800000001"));
            awaitDelivered(gw, w);
            assertEquals(3, smsc.received().stream().filter(r -> r.status() == 0x58).count());
            assertTrue(fx.counter("smpp.jobs.retries", "reason", "temporary") >= 1);
            assertTrue(jobsOf(gw, w).get(0).attempts() >= 1);
            assertEquals(0, smsc.duplicates());
        }
    }

    @Test
    void anUnansweredSubmitIsAmbiguousResentAndTheDuplicateIsCounted() throws Exception {
        GatewayFixture fx = new GatewayFixture();
        try (TestCluster cluster = new TestCluster(1);
             SmscSimulator smsc = new SmscSimulator("secret").statusScript(n -> n == 0 ? SmscSimulator.NO_RESPONSE : 0).start();
             SmppGateway gw = fx.gateway(GatewayFixture.config(smsc, "secret", 1).build(), cluster.stores(0))) {
            gw.start();
            List<WarningRecord> w = List.of(warn(gw, "13800000004"));
            awaitDelivered(gw, w);
            SmsJob job = jobsOf(gw, w).get(0);
            // At least the unanswered submit timed out; on a loaded machine an answered one may have
            // arrived after the fixture's 1 s response timeout too, and was then resent as well. What
            // must hold whatever the machine's speed: every timeout was resent and counted, and the
            // SMSC holds exactly one duplicate per resend.
            assertTrue(job.ambiguous() >= 1, "the unanswered submit is ambiguous");
            assertEquals(job.ambiguous(), job.resentAfterTimeout(), "every ambiguous submit was resent");
            assertEquals(job.resentAfterTimeout(), smsc.duplicates(), "the SMSC holds one duplicate per resend");
            assertEquals(job.resentAfterTimeout(), fx.counter("smpp.jobs.resent_after_timeout"), 0.0);
        }
    }

    @Test
    void withRetryAfterTimeoutOffAnAmbiguousJobFailsInsteadOfRiskingADuplicate() throws Exception {
        GatewayFixture fx = new GatewayFixture();
        try (TestCluster cluster = new TestCluster(1);
             SmscSimulator smsc = new SmscSimulator("secret").statusScript(n -> SmscSimulator.NO_RESPONSE).start();
             SmppGateway gw = fx.gateway(GatewayFixture.config(smsc, "secret", 1)
                     .retryPolicy(new RetryPolicy(Duration.ofMinutes(1), new Backoff(Duration.ofMillis(50), Duration.ofMillis(100)), false))
                     .build(), cluster.stores(0))) {
            gw.start();
            List<WarningRecord> w = List.of(warn(gw, "13800000005"));
            Await.until("job FAILED", PATIENCE, () -> jobsOf(gw, w).get(0).state() == JobState.FAILED);
            SmsJob job = jobsOf(gw, w).get(0);
            assertTrue(job.lastError().contains("not resent after a response timeout"), job.lastError());
            assertEquals(0, smsc.duplicates());
        }
    }

    @Test
    void aPermanentErrorFailsTheJobWithoutRetry() throws Exception {
        GatewayFixture fx = new GatewayFixture();
        try (TestCluster cluster = new TestCluster(1);
             SmscSimulator smsc = new SmscSimulator("secret").statusScript(n -> 0x0B).start();
             SmppGateway gw = fx.gateway(GatewayFixture.config(smsc, "secret", 1).build(), cluster.stores(0))) {
            gw.start();
            List<WarningRecord> w = List.of(warn(gw, "13800000002"));
            Await.until("job FAILED", PATIENCE, () -> jobsOf(gw, w).get(0).state() == JobState.FAILED);
            SmsJob job = jobsOf(gw, w).get(0);
            assertTrue(job.lastError().contains("ESME_RINVDSTADR"), job.lastError());
            int parts = job.parts();
            assertEquals(parts, smsc.received().size(), "each part tried once, none retried");
        }
    }

    @Test
    void whenTheSmscDropsEveryLinkMidStreamAndComesBackEveryJobIsDeliveredAndDuplicatesAreCounted() throws Exception {
        GatewayFixture fx = new GatewayFixture();
        try (TestCluster cluster = new TestCluster(1);
             SmscSimulator smsc = new SmscSimulator("secret").start();
             SmppGateway gw = fx.gateway(GatewayFixture.config(smsc, "secret", 2).tpsPerBind(20).build(), cluster.stores(0))) {
            gw.start();
            Await.until("binds up", PATIENCE, () -> gw.health().stream().allMatch(BindHealth::isBound));
            List<WarningRecord> warnings = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                warnings.add(warn(gw, "1380010" + String.format("%04d", i)));
            }
            Await.until("some submits accepted", PATIENCE, () -> smsc.accepted().size() >= 20);
            int acceptedBeforeDrop = smsc.accepted().size();
            smsc.stop();
            Await.until("binds see the drop", PATIENCE, () -> gw.health().stream().noneMatch(BindHealth::isBound));
            smsc.refuseNextBinds(0x05, 2);
            smsc.start();
            awaitDelivered(gw, warnings);

            for (int i = 0; i < 40; i++) {
                assertEquals(1, smsc.textsTo("861380010" + String.format("%04d", i)).size(), "one whole text per subscriber");
            }
            assertTrue(acceptedBeforeDrop < 80, "the drop came mid-stream");
            assertTrue(smsc.bindsRefused() == 2, "ESME_RALYBND answered twice, then bound");
            double ambiguous = fx.counter("smpp.jobs.ambiguous_timeouts");
            double resent = fx.counter("smpp.jobs.resent_after_timeout");
            int jobsResent = jobsOf(gw, warnings).stream().mapToInt(SmsJob::resentAfterTimeout).sum();
            LOG.info("drop test: accepted before drop {}, SMSC saw {} duplicate parts, gateway counted {} ambiguous "
                    + "timeouts and {} resends after a timeout ({} on the jobs), {} receipts held across the drop",
                    acceptedBeforeDrop, smsc.duplicates(), ambiguous, resent, jobsResent, smsc.receiptsHeld());
            assertEquals(resent, jobsResent, "the metric and the jobs agree");
            assertTrue(smsc.duplicates() <= resent, "every duplicate the SMSC saw was counted by the gateway as a possible one");
        }
    }

    @Test
    void aWrongPasswordShowsInHealthWithoutThePasswordAndIsRetriedUntilItIsFixed() throws Exception {
        GatewayFixture fx = new GatewayFixture();
        try (TestCluster cluster = new TestCluster(1);
             SmscSimulator smsc = new SmscSimulator("right").start();
             SmppGateway gw = fx.gateway(GatewayFixture.config(smsc, "Wr0ngPw", 1).build(), cluster.stores(0))) {
            gw.start();
            // Capture the health while it shows the refusal: between retries a slow bind attempt on a loaded
            // machine may time out and replace the last error for a moment.
            AtomicReference<BindHealth> refused = new AtomicReference<>();
            Await.until("AUTH_FAILED with the SMSC's reason", PATIENCE, () -> {
                BindHealth now = gw.health().get(0);
                boolean shown = now.state() == BindHealth.State.AUTH_FAILED && now.lastError().contains("ESME_RINVPASWD");
                if (shown) {
                    refused.set(now);
                }
                return shown;
            });
            List<WarningRecord> w = List.of(warn(gw, "13800000003"));
            Await.until("retried", PATIENCE, () -> smsc.bindsRefused() >= 3);
            BindHealth h = refused.get();
            assertTrue(h.lastError().contains("wrong password"), h.lastError());
            assertFalse(h.toString().contains("Wr0ngPw"), "the password never appears in health");
            assertFalse(gw.health().get(0).toString().contains("Wr0ngPw"), "nor later");
            assertEquals(JobState.QUEUED, jobsOf(gw, w).get(0).state(), "the job waits for a bind");
            smsc.password("Wr0ngPw");
            awaitDelivered(gw, w);
            assertTrue(gw.health().get(0).isBound());
        }
    }

    @Test
    void jobsQueuedOnAGatewayThatStoppedAreDeliveredByAnotherNodeAndALapsedLeaseIsTakenOver() throws Exception {
        GatewayFixture fx = new GatewayFixture();
        try (TestCluster cluster = new TestCluster(2);
             SmscSimulator smsc = new SmscSimulator("secret")) {
            List<WarningRecord> warnings = new ArrayList<>();
            try (SmppGateway first = fx.gateway(GatewayFixture.config(smsc, "secret", 1).nodeId("first").build(), cluster.stores(0))) {
                first.start();
                for (int i = 0; i < 10; i++) {
                    warnings.add(warn(first, "1380020" + String.format("%04d", i)));
                }
                assertTrue(jobsOf(first, warnings).stream().allMatch(j -> j.state() == JobState.QUEUED));
            }
            WorkStore<SmsJob> jobs = cluster.stores(1).open(SmsWorkStores.JOBS);
            SmsJob orphan = SmsJob.queued(UUID.randomUUID().toString(), "w-orphan", "+8613800209999", SmsKind.NORMAL,
                    "测试", 1, 1, Instant.now()).toBuilder().lease("dead-node", Instant.now().plusSeconds(1)).build(Instant.now());
            jobs.create(orphan.id(), orphan).join();
            cluster.member(0).getLifecycleService().terminate();

            smsc.start();
            try (SmppGateway second = fx.gateway(GatewayFixture.config(smsc, "secret", 1).nodeId("second").build(), cluster.stores(1))) {
                second.start();
                awaitDelivered(second, warnings);
                Await.until("orphan delivered", PATIENCE, () -> second.job(orphan.id()).orElseThrow().state() == JobState.DELIVERED);
                assertTrue(fx.counter("smpp.jobs.taken_over") >= 1);
                for (int i = 0; i < 10; i++) {
                    assertEquals(1, smsc.textsTo("861380020" + String.format("%04d", i)).size());
                }
            }
        }
    }
}
