package cn.antifraud.gateway.app.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs every component's check for {@code GET /health}. The gateway is healthy (200) only when every
 * component is up; otherwise 503 with the components that are not, so a load balancer or an operator
 * sees at once that, say, no SMSC bind is up while SIP still works.
 */
public final class HealthService {
    private final List<HealthCheck> checks = new CopyOnWriteArrayList<>();

    /** Adds a component; components register as they start. */
    public void register(HealthCheck check) {
        checks.add(check);
    }

    /** Runs every check; a check that throws counts as down with its error. Blocking. */
    public HealthReport report() {
        return report(name -> { });
    }

    /** As {@link #report()}, telling {@code starting} the name of each check before it runs (to name a hang). */
    public HealthReport report(java.util.function.Consumer<String> starting) {
        Map<String, ComponentHealth> out = new LinkedHashMap<>();
        for (HealthCheck c : checks) {
            starting.accept(c.name());
            ComponentHealth h;
            try {
                h = c.check();
            } catch (RuntimeException e) {
                h = ComponentHealth.down("check failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            out.put(c.name(), h);
        }
        return new HealthReport(out);
    }

    /** The result: overall state and each component's. */
    public record HealthReport(Map<String, ComponentHealth> components) {
        public HealthReport {
            components = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(components));
        }

        public boolean up() {
            return components.values().stream().allMatch(ComponentHealth::up);
        }
    }
}
