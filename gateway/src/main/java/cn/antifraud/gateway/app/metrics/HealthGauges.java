package cn.antifraud.gateway.app.metrics;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.app.health.ComponentHealth;
import cn.antifraud.gateway.app.health.HealthService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code gateway_component_up{component="database|cluster|smpp|sip"}}: 1 when the component's
 * {@code GET /health} check says up, else 0, so Prometheus can alert on what /health shows (a database
 * that stopped answering, no SMSC bind up). The checks run once per scrape, on the admin worker thread
 * that serves {@code GET /metrics}, never per gauge: the database check opens a connection.
 */
final class HealthGauges {
    private final HealthService health;
    private final MeterRegistry registry;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile Map<String, ComponentHealth> last = Map.of();

    HealthGauges(HealthService health, MeterRegistry registry) {
        this.health = requireNonNull(health, "health");
        this.registry = requireNonNull(registry, "registry");
    }

    /** Runs the checks; components that registered since the last scrape get their gauge now. */
    void refresh() {
        Map<String, ComponentHealth> now = health.report().components();
        last = now;
        for (String component : now.keySet()) {
            if (registered.add(component)) {
                Gauge.builder("gateway.component.up", this, g -> g.up(component)).tag("component", component)
                        .description("1 when this component's health check is up (GET /health)").register(registry);
            }
        }
    }

    private double up(String component) {
        ComponentHealth h = last.get(component);
        return h == null ? Double.NaN : h.up() ? 1 : 0;
    }
}
