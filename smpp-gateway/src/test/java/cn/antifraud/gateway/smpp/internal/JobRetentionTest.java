package cn.antifraud.gateway.smpp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.smpp.BindConfig;
import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.SmppGatewayConfig;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.SmscConfig;
import cn.antifraud.gateway.smpp.WarningRecord;
import cn.antifraud.gateway.smpp.WarningRequest;
import cn.antifraud.gateway.smpp.encoding.SmsKind;
import cn.antifraud.gateway.smpp.template.WarningTemplates;
import cn.antifraud.gateway.registry.work.WorkStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Final jobs and old warnings leave the durable maps after {@code smpp.job-retention}; nothing that can
 * still change (queued, submitted) and nothing younger is removed. Warning records expire by their
 * time-to-live; the purge removes those an earlier release stored without one.
 */
class JobRetentionTest {
    private static final Duration RETENTION = Duration.ofHours(2);

    private WorkStoreMember member;
    private ExecutorService executor;
    private WorkStore<SmsJob> jobs;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private SmppGatewayConfig config;
    private JobEngine engine;

    @BeforeEach
    void start() {
        member = new WorkStoreMember("retention");
        executor = Executors.newFixedThreadPool(2);
        jobs = member.store(SmsWorkStores.JOBS);
        config = baseConfig().receiptTimeout(Duration.ofMinutes(30)).jobRetention(RETENTION).build();
        engine = new JobEngine(config, member.stores(), executor, meters);
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        member.close();
    }

    private static SmppGatewayConfig.Builder baseConfig() {
        return SmppGatewayConfig.builder()
                .addSmsc(SmscConfig.builder().name("sim").host("127.0.0.1").port(2775)
                        .addBind(BindConfig.builder().systemId("antifraud").password("secret").build()).build());
    }

    private void put(String id, JobState state, Instant at) {
        SmsJob queued = Jobs.queued(id, 1, at);
        SmsJob job = state == JobState.QUEUED ? queued
                : Jobs.submitted(queued, "sim", List.of("a1"), at).toBuilder().state(state).build(at);
        jobs.create(id, job).join();
    }

    @Test
    void theSweepRemovesOnlyFinalJobsOlderThanTheRetention() {
        Instant old = Instant.now().minus(RETENTION).minusSeconds(60);
        Instant recent = Instant.now().minus(RETENTION).plusSeconds(600);
        put("delivered-old", JobState.DELIVERED, old);
        put("failed-old", JobState.FAILED, old);
        put("expired-old", JobState.EXPIRED, old);
        put("delivered-recent", JobState.DELIVERED, recent);
        put("submitted-old", JobState.SUBMITTED, old);
        put("queued-old", JobState.QUEUED, old);

        engine.sweep();

        assertNull(jobs.get("delivered-old"));
        assertNull(jobs.get("failed-old"));
        assertNull(jobs.get("expired-old"));
        assertNotNull(jobs.get("delivered-recent"), "a final job younger than the retention stays");
        // Not final when the sweep read them: they become EXPIRED now (receipt timeout, max age) and stay.
        assertNotNull(jobs.get("submitted-old"), "a submitted job is expired, not removed");
        assertEquals(JobState.EXPIRED, engine.job("submitted-old").orElseThrow().state());
        assertNotNull(jobs.get("queued-old"), "a queued job is never removed by the purge");
        assertEquals(3.0, meters.counter("smpp.jobs.purged").count());
    }

    @Test
    void oldWarningsStoredWithoutATimeToLiveAreRemovedAndRecentOnesKept() {
        WarningTemplates templates = WarningTemplates.load(Files.isDirectory(Path.of("config", "templates"))
                ? Path.of("config", "templates") : Path.of("..", "config", "templates"));
        WorkStore<WarningRecord> warnings = member.store(SmsWorkStores.WARNINGS);
        DefaultWarningService service = new DefaultWarningService(config, templates, subscriber -> Optional.empty(),
                engine, member.stores(), executor, meters);
        WarningRequest request = new WarningRequest(PhoneNumbers.parse("13800138000"), FraudType.values()[0], 1,
                PhoneNumbers.parse("13900139000"), WarningRequest.Source.values()[0]);
        Instant now = Instant.now();
        warnings.create("old", new WarningRecord("old", request, now.minus(RETENTION).minusSeconds(1), List.of("j1"), "")).join();
        warnings.create("recent", new WarningRecord("recent", request, now.minus(RETENTION).plusSeconds(60), List.of("j2"), "")).join();

        assertEquals(1, service.purgeExpired(now));

        assertNull(warnings.get("old"));
        assertNotNull(warnings.get("recent"));
    }

    @Test
    void warningRecordsLiveTheRetentionByThemselvesWithoutAPurge() {
        WarningTemplates templates = WarningTemplates.load(Files.isDirectory(Path.of("config", "templates"))
                ? Path.of("config", "templates") : Path.of("..", "config", "templates"));
        DefaultWarningService service = new DefaultWarningService(config, templates, subscriber -> Optional.empty(),
                engine, member.stores(), executor, meters);
        List<String> ids = new java.util.ArrayList<>();
        ids.add(service.warn(request("13800138001")).toCompletableFuture().join().id());
        for (var batched : service.warnAll(List.of(request("13800138002"), request("13800138003")))) {
            ids.add(batched.toCompletableFuture().join().id());
        }
        com.hazelcast.map.IMap<String, byte[]> map = member.hazelcast().getMap("work." + SmsWorkStores.WARNINGS.name());
        for (String id : ids) {
            assertEquals(RETENTION.toMillis(), map.getEntryView(id).getTtl(),
                    "warning " + id + " (one alone, two in a batch) expires job-retention after its creation");
        }
    }

    private static WarningRequest request(String subscriber) {
        return new WarningRequest(PhoneNumbers.parse(subscriber), FraudType.values()[0], 1,
                PhoneNumbers.parse("13900139000"), WarningRequest.Source.values()[0]);
    }

    @Test
    void aRetentionThatCouldRemoveJobsStillInFlightIsRefused() {
        // Retry max-age 1 h (default) + receipt timeout 30 min: a retention of 90 min could cut a live job.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> baseConfig()
                .receiptTimeout(Duration.ofMinutes(30)).jobRetention(Duration.ofMinutes(90)).build());
        assertTrue(e.getMessage().contains("jobRetention"), e.getMessage());
    }
}
