package cn.antifraud.gateway.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.app.health.ComponentHealth;
import cn.antifraud.gateway.app.health.HealthCheck;
import cn.antifraud.gateway.app.health.HealthService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code gateway_component_up}: what GET /health says per component, in the Prometheus text, checked
 * once per scrape (the alerts DatabaseDown and NoSmscBindUp read it).
 */
class HealthGaugesTest {

    @Test
    void eachComponentIsOneWhenUpAndZeroWhenDownAtTheNextScrape() {
        AtomicBoolean databaseUp = new AtomicBoolean(true);
        HealthService health = new HealthService();
        health.register(HealthCheck.of("database", () -> databaseUp.get() ? ComponentHealth.up("H2")
                : ComponentHealth.down("connection refused")));
        health.register(HealthCheck.of("smpp", () -> ComponentHealth.down("0 of 1 binds up")));
        try (GatewayMetrics metrics = new GatewayMetrics()) {
            metrics.bindHealth(health);

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
            metrics.bindHealth(health);
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
}
