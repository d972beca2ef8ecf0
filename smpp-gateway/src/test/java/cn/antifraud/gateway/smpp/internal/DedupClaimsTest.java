package cn.antifraud.gateway.smpp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.work.WorkStore;
import cn.antifraud.gateway.smpp.BindConfig;
import cn.antifraud.gateway.smpp.SmppGatewayConfig;
import cn.antifraud.gateway.smpp.SmscConfig;
import cn.antifraud.gateway.smpp.WarningRecord;
import cn.antifraud.gateway.smpp.WarningRequest;
import cn.antifraud.gateway.smpp.template.WarningTemplates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dedup entry whose warning was never stored (its node was killed between the entry and the warning:
 * found by kill -9 during a batch intake, where the re-post was answered "duplicate" and never sent) is
 * taken over; an entry whose warning is stored, or is being stored right now, still makes a duplicate.
 * Against a real Hazelcast member.
 */
class DedupClaimsTest {
    private static final Duration HANG_GUARD = Duration.ofMinutes(5);

    private WorkStoreMember member;
    private ExecutorService executor;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private DefaultWarningService service;
    private WorkStore<String> dedup;
    private WorkStore<WarningRecord> warnings;
    private JobEngine engine;
    private final WarningRequest request = new WarningRequest(PhoneNumbers.parse("13800138000"), FraudType.values()[0], 1,
            PhoneNumbers.parse("13900139000"), WarningRequest.Source.values()[0]);
    private final String key = "+8613800138000|1";

    @BeforeEach
    void start() {
        member = new WorkStoreMember("dedup-claims");
        executor = Executors.newFixedThreadPool(2);
        SmppGatewayConfig config = SmppGatewayConfig.builder()
                .addSmsc(SmscConfig.builder().name("sim").host("127.0.0.1").port(2775)
                        .addBind(BindConfig.builder().systemId("antifraud").password("secret").build()).build())
                .build();
        engine = new JobEngine(config, member.stores(), executor, meters);
        WarningTemplates templates = WarningTemplates.load(Files.isDirectory(Path.of("config", "templates"))
                ? Path.of("config", "templates") : Path.of("..", "config", "templates"));
        service = new DefaultWarningService(config, templates, subscriber -> Optional.empty(), engine, member.stores(), executor, meters);
        dedup = member.store(SmsWorkStores.DEDUP);
        warnings = member.store(SmsWorkStores.WARNINGS);
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        member.close();
    }

    private WarningRecord warn() throws Exception {
        return service.warn(request).toCompletableFuture().get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
    }

    private double takeovers() {
        var c = meters.find("smpp.warnings.dedup_takeovers").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void anEntryWhoseWarningWasNeverStoredIsTakenOverAndTheWarningIsSent() throws Exception {
        String lost = "lost-warning";
        dedup.put(key, lost + "@" + Instant.now().minus(DedupClaims.TAKEOVER_AFTER).minusSeconds(1).toEpochMilli(), Duration.ofHours(24));

        WarningRecord record = warn();

        assertEquals("", record.duplicateOf(), "not a duplicate of a warning that does not exist");
        assertEquals(1, record.jobIds().size());
        assertTrue(engine.job(record.jobIds().get(0)).isPresent(), "its job is stored");
        assertEquals(record.id(), DedupClaims.warningId(dedup.get(key)), "the entry now names the new warning");
        assertEquals(1.0, takeovers());
        assertEquals(record.id(), warn().duplicateOf(), "a repeat is now a duplicate of the stored warning");
    }

    @Test
    void anEntryOfThePreviousReleaseWithABareIdAndNoWarningIsTakenOver() throws Exception {
        dedup.put(key, "old-release-id", Duration.ofHours(24));
        assertEquals("", warn().duplicateOf());
        assertEquals(1.0, takeovers());
    }

    @Test
    void anEntryWhoseWarningIsStoredMakesADuplicate() throws Exception {
        WarningRecord first = warn();
        WarningRecord second = warn();
        assertEquals(first.id(), second.duplicateOf());
        assertTrue(second.jobIds().isEmpty());
        assertEquals(0.0, takeovers());
    }

    @Test
    void aWarningBeingWrittenByAnotherRequestIsWaitedForNotTakenOver() throws Exception {
        // Another request has written its entry a moment ago and is about to store its warning.
        String inFlight = "in-flight";
        dedup.put(key, inFlight + "@" + Instant.now().toEpochMilli(), Duration.ofHours(24));
        CompletableFuture<WarningRecord> repeat = service.warn(request).toCompletableFuture();
        // Cannot fail on a slow machine (the repeat has then not even started): it shows the wait when the
        // machine is fast; the duplicateOf below is what proves the entry was not taken over.
        Thread.sleep(300);
        assertFalse(repeat.isDone(), "the repeat waits for the warning being written");
        warnings.create(inFlight, new WarningRecord(inFlight, request, Instant.now(), List.of(), "")).join();

        WarningRecord record = repeat.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
        assertEquals(inFlight, record.duplicateOf());
        assertEquals(0.0, takeovers());
    }

    @Test
    void aRepeatWithinOneBatchIsItsDuplicateWithoutWaiting() throws Exception {
        List<WarningRecord> records = service.warnAll(List.of(request, request)).stream()
                .map(f -> f.toCompletableFuture().join()).toList();
        // Both entries are in flight at once: either may win; the other is its duplicate.
        WarningRecord original = records.get(0).duplicateOf().isEmpty() ? records.get(0) : records.get(1);
        WarningRecord repeat = original == records.get(0) ? records.get(1) : records.get(0);
        assertEquals("", original.duplicateOf());
        assertEquals(original.id(), repeat.duplicateOf());
        assertNotEquals(original.id(), repeat.id());
        assertEquals(0.0, takeovers());
    }
}
