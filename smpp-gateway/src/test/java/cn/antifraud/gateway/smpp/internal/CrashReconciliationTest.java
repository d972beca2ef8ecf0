package cn.antifraud.gateway.smpp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import cn.antifraud.gateway.smpp.BindConfig;
import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.PartState;
import cn.antifraud.gateway.smpp.SmppGatewayConfig;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.SmscConfig;
import cn.antifraud.gateway.smpp.encoding.SmsKind;
import cn.antifraud.gateway.registry.work.WorkStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node killed between recording a job's message ids and indexing them leaves a SUBMITTED job and,
 * once the SMSC's receipt came, that receipt parked as "early" (and acknowledged). The sweep must join
 * the two: index the ids and apply the parked receipt.
 */
class CrashReconciliationTest {
    private WorkStoreMember member;
    private ExecutorService executor;
    private WorkStore<SmsJob> jobs;
    private WorkStore<String> messageIds;
    private WorkStore<String> earlyReceipts;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private JobEngine engine;

    @BeforeEach
    void start() {
        member = new WorkStoreMember("reconcile");
        executor = Executors.newFixedThreadPool(2);
        jobs = member.store(SmsWorkStores.JOBS);
        messageIds = member.store(SmsWorkStores.MESSAGE_IDS);
        earlyReceipts = member.store(SmsWorkStores.EARLY_RECEIPTS);
        SmppGatewayConfig gatewayConfig = SmppGatewayConfig.builder()
                .addSmsc(SmscConfig.builder().name("sim").host("127.0.0.1").port(2775)
                        .addBind(BindConfig.builder().systemId("antifraud").password("secret").build()).build())
                .receiptTimeout(Duration.ofMinutes(30))
                .build();
        engine = new JobEngine(gatewayConfig, member.stores(), executor, meters);
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        member.close();
    }

    @Test
    void aReceiptParkedBeforeTheCrashDeliversTheJobOnTheNextSweep() {
        Instant longAgo = Instant.now().minus(Duration.ofMinutes(1));
        SmsJob submitted = Jobs.submitted(Jobs.queued("job-1", 2, longAgo), "sim", List.of("00A1", "a2"), longAgo);
        jobs.create(submitted.id(), submitted).join();
        earlyReceipts.put("sim:a1", "DELIVERED", Duration.ofHours(1));
        earlyReceipts.put("sim:a2", "DELIVERED", Duration.ofHours(1));

        engine.sweep();

        SmsJob after = engine.job("job-1").orElseThrow();
        assertEquals(JobState.DELIVERED, after.state());
        assertEquals(List.of(PartState.DELIVERED, PartState.DELIVERED), after.partStates());
        assertEquals("job-1#0#00A1", messageIds.get("sim:a1"), "the ids are indexed for later receipts");
        assertNull(earlyReceipts.get("sim:a1"), "the parked receipt is claimed");
        assertEquals(2.0, meters.counter("smpp.receipts", "match", "recovered_after_crash").count());
    }

    @Test
    void aJobWhoseReceiptNeverComesExpiresAfterTheReceiptTimeout() {
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        SmsJob submitted = Jobs.submitted(Jobs.queued("job-3", 1, longAgo), "sim", List.of("c1"), longAgo);
        jobs.create(submitted.id(), submitted).join();
        Instant recently = Instant.now().minus(Duration.ofMinutes(5));
        SmsJob waiting = Jobs.submitted(Jobs.queued("job-4", 1, recently), "sim", List.of("c2"), recently);
        jobs.create(waiting.id(), waiting).join();

        engine.sweep();

        SmsJob expired = engine.job("job-3").orElseThrow();
        assertEquals(JobState.EXPIRED, expired.state());
        assertEquals("no delivery receipt within PT30M for every part", expired.lastError());
        assertEquals(JobState.SUBMITTED, engine.job("job-4").orElseThrow().state(), "inside the timeout it waits");
        assertEquals(1.0, meters.counter("smpp.receipts", "match", "timed_out").count());
    }

    @Test
    void aRecentSubmitIsLeftToItsOwnIndexing() {
        Instant now = Instant.now();
        SmsJob submitted = Jobs.submitted(Jobs.queued("job-2", 1, now), "sim", List.of("b1"), now);
        jobs.create(submitted.id(), submitted).join();
        earlyReceipts.put("sim:b1", "DELIVERED", Duration.ofHours(1));

        engine.sweep();

        assertEquals(JobState.SUBMITTED, engine.job("job-2").orElseThrow().state());
        assertNull(messageIds.get("sim:b1"));
    }

    /**
     * The message-id index lives in cluster memory only, so a full restart (a single node killed) loses it.
     * A receipt arriving after the restart finds no index entry and is parked; the sweep indexes the
     * SUBMITTED job again and applies it, and later receipts of the job match directly.
     */
    @Test
    void aReceiptAfterAFullRestartThatLostTheIndexLandsOnItsJobAfterTheNextSweep() {
        assertEquals(false, SmsWorkStores.MESSAGE_IDS.durable(), "the index is rebuilt, not stored");
        Instant beforeRestart = Instant.now().minus(Duration.ofMinutes(1));
        SmsJob submitted = Jobs.submitted(Jobs.queued("job-5", 2, beforeRestart), "sim", List.of("d1", "d2"), beforeRestart);
        jobs.create(submitted.id(), submitted).join();

        engine.onReceipt("sim", new DeliveryReceipt("d1", DeliveryReceipt.Status.DELIVERED));
        assertEquals(JobState.SUBMITTED, engine.job("job-5").orElseThrow().state(), "no index entry yet: parked");
        assertEquals("DELIVERED", earlyReceipts.get("sim:d1"));

        engine.sweep();
        assertEquals(List.of(PartState.DELIVERED, PartState.SUBMITTED), engine.job("job-5").orElseThrow().partStates());
        assertNull(earlyReceipts.get("sim:d1"), "claimed by the repair");

        engine.onReceipt("sim", new DeliveryReceipt("d2", DeliveryReceipt.Status.FAILED));
        SmsJob after = engine.job("job-5").orElseThrow();
        assertEquals(List.of(PartState.DELIVERED, PartState.FAILED), after.partStates(), "matched through the rebuilt index");
        assertNull(earlyReceipts.get("sim:d2"), "not parked");
    }
}
