package cn.antifraud.gateway.registry.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Says, every period while this member is still starting, that it is still joining and what can hold a join
 * up. Hazelcast itself logs nothing at its default levels while it looks for a master: a member that waits for
 * {@code cluster.wait-for-members}, or that cannot elect a master (a configured member that accepts connections
 * but never answers holds the election up; {@link SilentMembers} passes over those it finds), is silent for the
 * five minutes before {@code Node failed to start!} (docs/faults.md, "A member that starts while a configured
 * member is frozen"). One daemon thread, for the start only.
 */
final class JoinProgressLog implements AutoCloseable {

    static final Duration PERIOD = Duration.ofSeconds(30);

    private final ScheduledExecutorService timer;

    /** Starts logging through {@code log} every {@code period}, until {@link #close()}. */
    JoinProgressLog(RegistryConfig config, Duration period, Consumer<String> log) {
        requireNonNull(config, "config");
        requireNonNull(log, "log");
        long started = System.nanoTime();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "registry-join-progress");
            t.setDaemon(true);
            return t;
        });
        long every = period.toMillis();
        timer.scheduleAtFixedRate(() -> log.accept(message(config,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started))), every, every, TimeUnit.MILLISECONDS);
    }

    /** The line for an operator, naming the configured members and what to check. */
    static String message(RegistryConfig config, long seconds) {
        String waiting = config.initialClusterSize() > 1
                ? "; it starts once " + config.initialClusterSize() + " members have joined (cluster.wait-for-members,"
                        + " cluster.quorum)"
                : "";
        return "cluster: still joining after " + seconds + " s; cluster.members " + config.members() + waiting
                + ". A member that refuses connections is passed over at once, and one that accepts them but never"
                + " answers (a frozen process, a paused VM) after two 5 s probes; without a master Hazelcast gives up"
                + " after 300 s: see docs/runbook.md, \"A full-cluster restart\"";
    }

    /** Whether the logging has stopped (after {@link #close()}). */
    boolean stopped() {
        return timer.isTerminated();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
