package cn.antifraud.gateway.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.app.health.ComponentHealth;
import cn.antifraud.gateway.app.health.HealthCheck;
import cn.antifraud.gateway.app.health.HealthService;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code gateway_component_up}: what GET /health says per component, in the Prometheus text, checked
 * once per scrape (the alerts DatabaseDown and NoSmscBindUp read it).
 */
class HealthGaugesTest {
    /** Checks that return at once: the scrape waits for them; the bound only keeps a broken test from hanging. */
    private static final Duration CHECKS_COMPLETE = Duration.ofMinutes(5);

    @Test
    void eachComponentIsOneWhenUpAndZeroWhenDownAtTheNextScrape() {
        AtomicBoolean databaseUp = new AtomicBoolean(true);
        HealthService health = new HealthService();
        health.register(HealthCheck.of("database", () -> databaseUp.get() ? ComponentHealth.up("H2")
                : ComponentHealth.down("connection refused")));
        health.register(HealthCheck.of("smpp", () -> ComponentHealth.down("0 of 1 binds up")));
        try (GatewayMetrics metrics = new GatewayMetrics()) {
            metrics.bindHealth(health, CHECKS_COMPLETE);

            String first = metrics.scrape();
            assertTrue(first.contains("gateway_component_up{component=\"database\"} 1.0"), first);
            assertTrue(first.contains("gateway_component_up{component=\"smpp\"} 0.0"), first);

            databaseUp.set(false);
            String second = metrics.scrape();
            assertTrue(second.contains("gateway_component_up{component=\"database\"} 0.0"), second);
        }
    }

    @Test
    void aComponentRegisteredAfterTheFirstScrapeGetsItsGaugeAndChecksRunOncePerScrape() {
        AtomicInteger sipChecks = new AtomicInteger();
        HealthService health = new HealthService();
        health.register(HealthCheck.of("database", () -> ComponentHealth.up("H2")));
        try (GatewayMetrics metrics = new GatewayMetrics()) {
            metrics.bindHealth(health, CHECKS_COMPLETE);
            metrics.scrape();
            health.register(HealthCheck.of("sip", () -> {
                sipChecks.incrementAndGet();
                return ComponentHealth.up("2 listeners");
            }));

            String text = metrics.scrape();

            assertTrue(text.contains("gateway_component_up{component=\"sip\"} 1.0"), text);
            assertEquals(1, sipChecks.get(), "one scrape runs each check once, not once per gauge");
        }
    }

    @Test
    void aHangingCheckDoesNotHoldTheScrapeWhichShowsTheLastResultUntilTheCheckEnds() throws Exception {
        AtomicBoolean hang = new AtomicBoolean(false);
        CountDownLatch checkStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HealthService health = new HealthService();
        health.register(HealthCheck.of("database", () -> {
            if (!hang.get()) {
                return ComponentHealth.up("H2");
            }
            // As a pool waiting connection-timeout for a database that is gone.
            checkStarted.countDown();
            try {
                release.await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ComponentHealth.down("connection is not available, request timed out");
        }));
        try (GatewayMetrics metrics = new GatewayMetrics()) {
            metrics.bindHealth(health, Duration.ofMillis(100));
            String before = scrapeUntil(metrics, "gateway_component_up{component=\"database\"} 1.0");
            assertTrue(before.contains("gateway_component_up{component=\"database\"} 1.0"), before);

            hang.set(true);
            // The check is still blocked when this scrape returns: it did not wait for it.
            String during = metrics.scrape();
            assertTrue(checkStarted.await(5, TimeUnit.MINUTES));
            assertTrue(during.contains("gateway_component_up{component=\"database\"} 1.0"),
                    "while the check hangs, the last completed result is shown: " + during);

            release.countDown();
            // The released run ends on the checker thread; its result shows at one of the next scrapes.
            String next = scrapeUntil(metrics, "gateway_component_up{component=\"database\"} 0.0");
            assertTrue(next.contains("gateway_component_up{component=\"database\"} 0.0"),
                    "once the check ended, its result is shown: " + next);
        }
    }

    /** Scrapes until the text shows {@code line} (a check that ran on the checker thread), bounded only against a hang. */
    private static String scrapeUntil(GatewayMetrics metrics, String line) {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        String text = metrics.scrape();
        while (!text.contains(line) && System.nanoTime() < giveUp) {
            text = metrics.scrape();
        }
        return text;
    }
}
