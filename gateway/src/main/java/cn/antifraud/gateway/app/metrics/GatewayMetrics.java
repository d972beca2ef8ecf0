package cn.antifraud.gateway.app.metrics;

import cn.antifraud.gateway.app.health.HealthService;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.impl.operationservice.impl.OperationServiceImpl;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.HazelcastCacheMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The gateway's one meter registry, scraped as Prometheus text at {@code GET /metrics}: JVM meters
 * (memory, GC, threads, class loading, CPU, uptime), Hazelcast meters (per registry map: entries,
 * gets, puts, near-cache hits and misses; cluster size), and whatever the SIP proxy and the SMPP
 * gateway register.
 */
public final class GatewayMetrics implements AutoCloseable {
    /** Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private volatile HealthGauges health;

    public GatewayMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Adds Hazelcast meters for the member's maps and the cluster size. */
    public void bindHazelcast(HazelcastInstance hazelcast, Iterable<IMap<?, ?>> maps) {
        for (IMap<?, ?> map : maps) {
            HazelcastCacheMetrics.monitor(registry, map);
        }
        Gauge.builder("hazelcast.cluster.members", hazelcast, h -> h.getLifecycleService().isRunning()
                        ? h.getCluster().getMembers().size() : 0)
                .description("members of the registry cluster this member sees")
                .register(registry);
        FunctionCounter.builder("hazelcast.operations.executed", hazelcast, GatewayMetrics::executedOperations)
                .description("operations this member's Hazelcast threads ran (reads, writes, entry processors,"
                        + " backups, heartbeats): each a hand-off to another thread, what the SMS path's cost is counted in")
                .register(registry);
    }

    /** Hazelcast's own count of the operations its threads ran; not in its public API (NaN where unavailable). */
    private static double executedOperations(HazelcastInstance hazelcast) {
        if (hazelcast instanceof HazelcastInstanceProxy proxy && proxy.getOriginal() != null) {
            OperationServiceImpl ops = proxy.getOriginal().node.getNodeEngine().getOperationService();
            return ops.getExecutedOperationCount();
        }
        return Double.NaN;
    }

    /** Adds {@code gateway.component.up} per health component, checked at each scrape. */
    public void bindHealth(HealthService healthService) {
        bindHealth(healthService, HealthGauges.SCRAPE_WAIT);
    }

    /** As {@link #bindHealth(HealthService)}, a scrape waiting at most {@code scrapeWait} for the checks. */
    void bindHealth(HealthService healthService, java.time.Duration scrapeWait) {
        this.health = new HealthGauges(healthService, registry, scrapeWait);
    }

    /**
     * The Prometheus text of every meter. Blocking when health is bound: it waits for the health checks,
     * at most two seconds (HealthGauges).
     */
    public String scrape() {
        HealthGauges h = health;
        if (h != null) {
            h.refresh();
        }
        return registry.scrape();
    }

    @Override
    public void close() {
        HealthGauges h = health;
        if (h != null) {
            h.close();
        }
        gc.close();
        registry.close();
    }
}
