package cn.antifraud.gateway.smpp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The sweep's gauges that config/monitoring/alerts.yml watches: {@code smpp.jobs.pending} (jobs of this
 * member not yet final, the warning backlog) and {@code smpp.jobs.awaiting_receipt.oldest.seconds} (how
 * long the oldest SUBMITTED job has waited for its delivery receipts).
 */
class JobBacklogGaugesTest {
    private WorkStoreMember member;
    private ExecutorService executor;
    private WorkStore<SmsJob> jobs;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private JobEngine engine;
    private SmppGatewayConfig config;

    @BeforeEach
    void start() {
        member = new WorkStoreMember("backlog-gauges");
        executor = Executors.newFixedThreadPool(2);
        jobs = member.store(SmsWorkStores.JOBS);
        config = SmppGatewayConfig.builder()
                .addSmsc(SmscConfig.builder().name("sim").host("127.0.0.1").port(2775)
                        .addBind(BindConfig.builder().systemId("antifraud").password("secret").build()).build())
                .receiptTimeout(Duration.ofHours(3)).jobRetention(Duration.ofDays(1)).build();
        engine = new JobEngine(config, member.stores(), executor, meters);
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        member.close();
    }

    private void put(String id, JobState state, Instant at) {
        SmsJob queued = SmsJob.queued(id, "warning-" + id, "+8613800138000", SmsKind.NORMAL, "text", 7, 1, at);
        SmsJob job = state == JobState.QUEUED ? queued.toBuilder().nextAttemptAt(at).build(at)
                : queued.toBuilder().state(state).messageId(0, "m-" + id).smsc("sim").moreAttempts(1)
                        .firstAttemptAt(at).partState(0, state == JobState.SUBMITTED ? PartState.SUBMITTED
                                : state == JobState.DELIVERED ? PartState.DELIVERED : PartState.FAILED).build(at);
        jobs.create(id, job).join();
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    @Test
    void theSweepCountsJobsNotYetFinalAndAgesTheOldestSubmittedOne() {
        Instant now = Instant.now();
        // A queued job whose next attempt is later (so the sweep leaves it alone), two submitted ones
        // (20 and 5 minutes without receipts, within the 3 h receipt timeout), and final ones.
        put("queued", JobState.QUEUED, now.plus(Duration.ofHours(1)));
        put("submitted-20m", JobState.SUBMITTED, now.minus(Duration.ofMinutes(20)));
        put("submitted-5m", JobState.SUBMITTED, now.minus(Duration.ofMinutes(5)));
        put("delivered", JobState.DELIVERED, now.minus(Duration.ofMinutes(30)));
        put("failed", JobState.FAILED, now.minus(Duration.ofMinutes(40)));

        engine.sweep(now);

        assertEquals(3.0, gauge("smpp.jobs.pending"), "queued and submitted jobs are the backlog; final ones are not");
        // Written here behind the engine's back, as a full restart leaves them: the first pass (housekeeping)
        // puts the three not yet final into the open-jobs index that the frequent passes read.
        assertEquals(3.0, meters.counter("smpp.sweep.open_index_repaired").count());
        assertEquals(5.0, meters.counter("smpp.sweep.jobs_read", "pass", "housekeeping").count(), "it read every job");
        double oldest = gauge("smpp.jobs.awaiting_receipt.oldest.seconds");
        assertTrue(oldest >= 20 * 60 && oldest < 21 * 60 + 3600,
                "the oldest submitted job waited 20 minutes (the sweep ran after that), got " + oldest + " s");
    }

    @Test
    void theGaugesFallBackWhenTheBacklogClears() {
        Instant now = Instant.now();
        put("submitted", JobState.SUBMITTED, now.minus(Duration.ofMinutes(20)));
        engine.sweep(now);
        assertEquals(1.0, gauge("smpp.jobs.pending"));

        put("submitted", JobState.DELIVERED, now);
        // No bind is up here, so the next pass is due smpp.housekeeping-while-down later.
        engine.sweep(now.plus(config.housekeepingWhileDown()));

        assertEquals(0.0, gauge("smpp.jobs.pending"));
        assertEquals(0.0, gauge("smpp.jobs.awaiting_receipt.oldest.seconds"), "no submitted job waits for a receipt");
    }

    @Test
    void whileNoBindIsUpTheJobsAreReadOnlyOncePerHousekeepingInterval() {
        Instant now = Instant.now();
        put("submitted", JobState.SUBMITTED, now.minus(Duration.ofMinutes(20)));
        engine.sweep(now);
        put("submitted", JobState.DELIVERED, now);

        engine.sweep(now.plus(config.housekeepingWhileDown()).minusSeconds(1));
        assertEquals(1.0, gauge("smpp.jobs.pending"), "a pass before the interval is over reads no job");

        engine.sweep(now.plus(config.housekeepingWhileDown()));
        assertEquals(0.0, gauge("smpp.jobs.pending"), "the housekeeping pass reads them again");
    }
}
