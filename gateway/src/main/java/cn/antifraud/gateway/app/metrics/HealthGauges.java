package cn.antifraud.gateway.app.metrics;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.app.health.ComponentHealth;
import cn.antifraud.gateway.app.health.HealthService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code gateway_component_up{component="database|cluster|smpp|sip"}}: 1 when the component's
 * {@code GET /health} check says up, else 0, so Prometheus can alert on what /health shows (a database
 * that stopped answering, no SMSC bind up). The checks run once per scrape, not once per gauge (the
 * database check takes a pool connection), on a thread of their own: a scrape waits for them at most
 * {@link #SCRAPE_WAIT} and otherwise shows the last completed result. Without that bound, a database that
 * is down (the pool waits {@code database.connection-timeout} for a connection) would make the scrape
 * itself time out, and Prometheus would see the whole node as down instead of its database.
 */
final class HealthGauges implements AutoCloseable {
    static final Duration SCRAPE_WAIT = Duration.ofSeconds(2);

    private final HealthService health;
    private final MeterRegistry registry;
    private final Duration scrapeWait;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "health-gauges");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile Map<String, ComponentHealth> last = Map.of();
    private CompletableFuture<Void> inFlight;

    HealthGauges(HealthService health, MeterRegistry registry, Duration scrapeWait) {
        this.health = requireNonNull(health, "health");
        this.registry = requireNonNull(registry, "registry");
        this.scrapeWait = requireNonNull(scrapeWait, "scrapeWait");
    }

    /** Runs the checks unless a run is still going, and waits for it at most the scrape wait. */
    void refresh() {
        CompletableFuture<Void> run;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                try {
                    inFlight = CompletableFuture.runAsync(this::check, checker);
                } catch (RejectedExecutionException e) {
                    return; // closed: the gateway is stopping; the last values stay
                }
            }
            run = inFlight;
        }
        try {
            run.get(scrapeWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // A check hangs (typically the database's): this scrape shows the last result; the run
            // completes in the background and the next scrape sees it.
        } catch (ExecutionException e) {
            // HealthService turns a failing check into "down"; nothing else can fail here.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void check() {
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

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
