package cn.antifraud.gateway.app.health;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link HealthService} checks on a thread of its own every {@link #INTERVAL} and keeps the
 * last report, so {@code GET /health} answers from memory: a load balancer's probe never waits for a
 * database round trip or a pool connection while registry requests hold the pool and the CPUs (issue
 * 13: {@code /health} under 100 ms while 8 heavy listings run). The answer carries its age.
 *
 * <p>A check that hangs (a database that stopped answering: the pool waits its connection timeout)
 * stops the probe from completing. Once the last report is older than {@link #STALE_AFTER} the
 * snapshot says so and counts as down, naming the check that is still running, so a hang is not
 * hidden behind an old "UP".
 *
 * <p>The probe thread starts with the first {@link #current()} call, which waits for the first report
 * (at most {@link #STALE_AFTER}); {@link #close()} stops it.
 */
public final class HealthProbe implements AutoCloseable {
    /** How often the checks run. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);
    /** A report older than this (the probe is stuck in a check) is answered as down. */
    public static final Duration STALE_AFTER = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(HealthProbe.class);

    private final HealthService service;
    private final Duration interval;
    private final Duration staleAfter;
    private final Object lock = new Object();
    private ScheduledExecutorService probe;
    private boolean closed;
    private volatile Timed last;
    private volatile String running = "";

    public HealthProbe(HealthService service) {
        this(service, INTERVAL, STALE_AFTER);
    }

    HealthProbe(HealthService service, Duration interval, Duration staleAfter) {
        this.service = requireNonNull(service, "service");
        this.interval = requireNonNull(interval, "interval");
        this.staleAfter = requireNonNull(staleAfter, "staleAfter");
    }

    /**
     * The last report and its age. Never runs a check on the calling thread, except that the very
     * first call waits (bounded by {@link #STALE_AFTER}) for the probe's first report.
     */
    public Snapshot current() {
        Timed t = last;
        if (t == null) {
            t = awaitFirst();
        }
        if (t == null) {
            return new Snapshot(new HealthService.HealthReport(Map.of("health-probe",
                    ComponentHealth.down("no check completed within " + staleAfter.toSeconds() + " s" + runningNote()))),
                    staleAfter.toMillis());
        }
        long ageMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t.nanos());
        if (ageMillis > staleAfter.toMillis()) {
            Map<String, ComponentHealth> components = new java.util.LinkedHashMap<>(t.report().components());
            components.put("health-probe", ComponentHealth.down("last completed " + ageMillis + " ms ago" + runningNote()));
            return new Snapshot(new HealthService.HealthReport(components), ageMillis);
        }
        return new Snapshot(t.report(), ageMillis);
    }

    private String runningNote() {
        String r = running;
        return r.isEmpty() ? "" : "; still running the " + r + " check";
    }

    private Timed awaitFirst() {
        long deadline = System.nanoTime() + staleAfter.toNanos();
        synchronized (lock) {
            start();
            while (last == null && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return last;
        }
    }

    private void start() {
        if (probe != null || closed) {
            return;
        }
        probe = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "health-probe");
            t.setDaemon(true);
            return t;
        });
        probe.scheduleWithFixedDelay(this::runChecks, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runChecks() {
        try {
            HealthService.HealthReport report = service.report(name -> running = name);
            running = "";
            Timed t = new Timed(report, System.nanoTime());
            synchronized (lock) {
                last = t;
                lock.notifyAll();
            }
        } catch (RuntimeException e) {
            // HealthService turns a failing check into "down"; anything else must not end the schedule.
            LOG.warn("health probe failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (probe != null) {
                probe.shutdownNow();
            }
            lock.notifyAll();
        }
    }

    /**
     * A report and how long ago its checks completed.
     *
     * @param report    the checks' results (with a {@code health-probe} component when the report is stale)
     * @param ageMillis milliseconds since the report's checks completed
     */
    public record Snapshot(HealthService.HealthReport report, long ageMillis) {
        public Snapshot {
            requireNonNull(report, "report");
        }
    }

    private record Timed(HealthService.HealthReport report, long nanos) {
    }
}
