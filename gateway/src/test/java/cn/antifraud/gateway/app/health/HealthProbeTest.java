package cn.antifraud.gateway.app.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link HealthProbe}: answers from its last report, refreshes in the background, names a hanging check. */
class HealthProbeTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    @Test
    void answersTheLastReportWithoutRunningTheChecksOnTheCaller() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Thread> checkedOn = new AtomicReference<>();
        HealthService service = new HealthService();
        service.register(HealthCheck.of("database", () -> {
            runs.incrementAndGet();
            checkedOn.set(Thread.currentThread());
            return ComponentHealth.up("H2");
        }));
        try (HealthProbe probe = new HealthProbe(service, Duration.ofMillis(20), Duration.ofSeconds(60))) {
            HealthProbe.Snapshot first = probe.current();
            assertTrue(first.report().up());
            assertEquals("H2", first.report().components().get("database").detail());
            assertNotEquals(Thread.currentThread(), checkedOn.get(), "the checks run on the probe's thread");
            int before = runs.get();
            await(() -> runs.get() > before + 2, "the probe refreshes in the background");
            for (int i = 0; i < 100; i++) {
                assertTrue(probe.current().report().up());
            }
            assertTrue(probe.current().ageMillis() >= 0);
        }
    }

    @Test
    void aStateChangeIsSeenAtTheNextProbe() throws Exception {
        AtomicReference<ComponentHealth> database = new AtomicReference<>(ComponentHealth.up("H2"));
        HealthService service = new HealthService();
        service.register(HealthCheck.of("database", database::get));
        try (HealthProbe probe = new HealthProbe(service, Duration.ofMillis(20), Duration.ofSeconds(60))) {
            assertTrue(probe.current().report().up());
            database.set(ComponentHealth.down("connection refused"));
            await(() -> !probe.current().report().up(), "the probe sees the database go down");
            assertEquals("connection refused", probe.current().report().components().get("database").detail());
        }
    }

    @Test
    void aHangingCheckMakesTheReportStaleAndDownNamingTheCheck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        HealthService service = new HealthService();
        service.register(HealthCheck.of("cluster", () -> ComponentHealth.up("1 member")));
        service.register(HealthCheck.of("database", () -> {
            if (runs.incrementAndGet() > 1) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ComponentHealth.up("H2");
        }));
        try (HealthProbe probe = new HealthProbe(service, Duration.ofMillis(20), Duration.ofMillis(300))) {
            assertTrue(probe.current().report().up(), "the first run completes");
            await(() -> probe.current().report().components().containsKey("health-probe"), "the hang is reported");
            HealthProbe.Snapshot stale = probe.current();
            assertFalse(stale.report().up());
            assertTrue(stale.ageMillis() > 300, "age " + stale.ageMillis());
            String detail = stale.report().components().get("health-probe").detail();
            assertTrue(detail.contains("still running the database check"), detail);
            assertTrue(stale.report().components().get("cluster").up(), "the last results are still shown");
            release.countDown();
            await(() -> probe.current().report().up(), "the probe recovers once the check returns");
        }
    }

    @Test
    void aFailingCheckIsDownWithItsError() {
        HealthService service = new HealthService();
        service.register(HealthCheck.of("smpp", () -> {
            throw new IllegalStateException("no bind");
        }));
        try (HealthProbe probe = new HealthProbe(service)) {
            HealthProbe.Snapshot s = probe.current();
            assertFalse(s.report().up());
            assertEquals("check failed: IllegalStateException: no bind", s.report().components().get("smpp").detail());
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within the hang guard: " + what);
            }
            Thread.sleep(5);
        }
    }
}
