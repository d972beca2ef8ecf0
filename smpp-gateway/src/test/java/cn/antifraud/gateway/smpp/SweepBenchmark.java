package cn.antifraud.gateway.smpp;

import cn.antifraud.gateway.registry.work.WorkStore;
import cn.antifraud.gateway.smpp.encoding.SmsKind;
import cn.antifraud.gateway.smpp.internal.SmsWorkStores;
import cn.antifraud.gateway.smpp.sim.NodeSmsc;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the sweep costs an idle node that keeps {@code kept} final jobs (days of {@code smpp.job-retention}):
 * the gateway's JVM CPU per second while nothing is sent, its bind up to the node-smpp SMSC.
 *
 * <p>Two modes, alternated run by run in one JVM on one cluster member holding the same jobs:
 * {@code every-pass-full} sets {@code housekeeping-while-down} to the sweep interval, so every pass reads every
 * job, as every pass did before the open-jobs index (the anchor); {@code open-index} is the default (5 min).
 * Each run starts a gateway, waits for its bind and its first (housekeeping) pass, then measures for
 * {@code seconds}. Prints each run and the medians. Bounded: fixed job count, fixed seconds, deadlines.
 *
 * <pre>loadtest/smpp/sweep.sh [kept=200000] [seconds=20] [runs=3] [open=0]</pre>
 *
 * <p>{@code open} adds jobs not yet final that stay so (a retry an hour away); the first pass's time (from the
 * gateway's start, its bind included) shows what the housekeeping pass costs with them.
 */
public final class SweepBenchmark {
    private SweepBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>(Map.of("kept", "200000", "seconds", "20", "runs", "3", "open", "0"));
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2 || !opts.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument " + a + "; known: " + opts.keySet());
            }
            opts.put(kv[0], kv[1]);
        }
        int kept = Integer.parseInt(opts.get("kept"));
        int seconds = Integer.parseInt(opts.get("seconds"));
        int runs = Integer.parseInt(opts.get("runs"));
        int open = Integer.parseInt(opts.get("open"));
        Path work = Files.createTempDirectory("sweep-bench");
        try (TestCluster cluster = new TestCluster(1);
             NodeSmsc smsc = new NodeSmsc(work.resolve("smsc"))) {
            fill(cluster.stores(0).open(SmsWorkStores.JOBS), kept);
            fillOpen(cluster.stores(0).open(SmsWorkStores.JOBS), cluster.stores(0).open(SmsWorkStores.OPEN_JOBS), open);
            System.out.printf("%d final jobs kept, %d open (a retry an hour away); %d s measured per run, sweep every 1 s%n",
                    kept, open, seconds);
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            Map<String, List<Double>> reads = new LinkedHashMap<>();
            Map<String, List<Double>> firstPass = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                for (String mode : List.of("every-pass-full", "open-index")) {
                    Duration housekeeping = mode.equals("open-index") ? Duration.ofMinutes(5) : Duration.ofSeconds(1);
                    double[] r = measure(cluster, smsc, housekeeping, seconds, kept + open);
                    System.out.printf("  run %d %-16s %6.1f ms CPU per second (%.1f%% of a core), %9.0f jobs read per second,"
                            + " first (housekeeping) pass %.1f s%n", run, mode, r[0], r[0] / 10, r[1], r[2]);
                    cpu.computeIfAbsent(mode, m -> new ArrayList<>()).add(r[0]);
                    reads.computeIfAbsent(mode, m -> new ArrayList<>()).add(r[1]);
                    firstPass.computeIfAbsent(mode, m -> new ArrayList<>()).add(r[2]);
                }
            }
            for (String mode : cpu.keySet()) {
                System.out.printf("median %-16s %6.1f ms CPU per second, %9.0f jobs read per second, first pass %.1f s%n",
                        mode, median(cpu.get(mode)), median(reads.get(mode)), median(firstPass.get(mode)));
            }
        }
    }

    private static void fill(WorkStore<SmsJob> jobs, int kept) {
        Instant at = Instant.now();
        Map<String, SmsJob> chunk = new LinkedHashMap<>();
        for (int i = 0; i < kept; i++) {
            String id = "kept-" + i;
            SmsJob queued = SmsJob.queued(id, "warning-" + i, "+8613800138000", SmsKind.NORMAL, "您好", 7, 1, at);
            chunk.put(id, queued.toBuilder().state(JobState.DELIVERED).messageId(0, "m" + i).smsc("sim").moreAttempts(1)
                    .firstAttemptAt(at).partState(0, PartState.DELIVERED).build(at));
            if (chunk.size() == 5_000 || i == kept - 1) {
                jobs.createAll(chunk).join();
                chunk.clear();
            }
        }
    }

    /**
     * Jobs not yet final that stay so: each was attempted once and waits for a retry an hour away, indexed as
     * open, as after an SMSC answered throttled. Every pass reads them; the housekeeping pass also checks every
     * final job against the open-jobs index (a lookup per job: a linear one made that pass quadratic).
     */
    private static void fillOpen(WorkStore<SmsJob> jobs, WorkStore<String> index, int open) {
        Instant at = Instant.now();
        Map<String, SmsJob> chunk = new LinkedHashMap<>();
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < open; i++) {
            String id = "open-" + i;
            SmsJob queued = SmsJob.queued(id, "warning-open-" + i, "+8613800138000", SmsKind.NORMAL, "您好", 7, 1, at);
            chunk.put(id, queued.toBuilder().moreAttempts(1).firstAttemptAt(at).nextAttemptAt(at.plus(Duration.ofHours(1)))
                    .build(at));
            entries.put(id, "");
            if (chunk.size() == 5_000 || i == open - 1) {
                jobs.createAll(chunk).join();
                index.createAll(entries).join();
                chunk.clear();
                entries.clear();
            }
        }
    }

    /** {CPU ms per second, jobs read per second, seconds of the first pass} of one gateway over {@code seconds}. */
    private static double[] measure(TestCluster cluster, NodeSmsc smsc, Duration housekeeping, int seconds, int kept)
            throws Exception {
        GatewayFixture fx = new GatewayFixture();
        SmppGatewayConfig config = SmppGatewayConfig.builder()
                .addSmsc(SmscConfig.builder().name("sim").host("127.0.0.1").port(smsc.port())
                        .addBind(BindConfig.builder().systemId("antifraud").password("secret").build()).build())
                .sweepInterval(Duration.ofSeconds(1))
                .housekeepingWhileDown(housekeeping)
                .build();
        try (SmppGateway gw = fx.gateway(config, cluster.stores(0))) {
            long started = System.nanoTime();
            gw.start();
            Await.until("bind up", Duration.ofMinutes(2), () -> gw.health().stream().anyMatch(BindHealth::isBound));
            Await.until("the first pass read every job", Duration.ofMinutes(10),
                    () -> fx.counter("smpp.sweep.jobs_read", "pass", "housekeeping") >= kept);
            double firstPass = (System.nanoTime() - started) / 1e9;
            double readBefore = fx.counter("smpp.sweep.jobs_read");
            long cpuBefore = processCpuNanos();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double cpuMs = (processCpuNanos() - cpuBefore) / 1e6;
            return new double[] {cpuMs / elapsed, (fx.counter("smpp.sweep.jobs_read") - readBefore) / elapsed, firstPass};
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
