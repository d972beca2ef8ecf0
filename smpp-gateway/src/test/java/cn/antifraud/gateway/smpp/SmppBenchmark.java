package cn.antifraud.gateway.smpp;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.cluster.RegistryConfig;
import cn.antifraud.gateway.registry.cluster.RegistryMember;
import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.registry.jdbc.JdbcRegistryStores;
import cn.antifraud.gateway.smpp.encoding.EncodedSms;
import cn.antifraud.gateway.smpp.encoding.SmsEncoder;
import cn.antifraud.gateway.smpp.encoding.SmsKind;
import cn.antifraud.gateway.smpp.sim.SmscSimulator;
import cn.antifraud.gateway.smpp.template.Placeholder;
import cn.antifraud.gateway.registry.work.WorkStores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;

/**
 * The SMPP benchmark of loadtest/smpp (run it with loadtest/smpp/run.sh, not as a unit test): against the
 * Cloudhopper SMSC on loopback, in one run,
 * <ol>
 *   <li>TPS held: a limit per bind, achieved rate measured at the SMSC over the steady part of the run;</li>
 *   <li>throughput unlimited: warnings → durable jobs → submit_sm per second seen by the SMSC;</li>
 *   <li>reference: a plain synchronous jsmpp client sending the same parts on one session;</li>
 *   <li>latency from {@code warn()} to the SMSC's first submit_sm for that warning, at a moderate rate.</li>
 * </ol>
 * Prints one line per phase and run, then the medians.
 */
public final class SmppBenchmark {
    private static final FraudType TYPE = FraudType.IMPERSONATING_AUTHORITIES;

    private SmppBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            opt.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        int runs = Integer.parseInt(opt.getOrDefault("runs", "3"));
        int binds = Integer.parseInt(opt.getOrDefault("binds", "4"));
        int window = Integer.parseInt(opt.getOrDefault("window", "10"));
        int tps = Integer.parseInt(opt.getOrDefault("tps", "100"));
        int tpsSeconds = Integer.parseInt(opt.getOrDefault("tpsSeconds", "10"));
        int warnings = Integer.parseInt(opt.getOrDefault("warnings", "10000"));
        int latencyWarnings = Integer.parseInt(opt.getOrDefault("latencyWarnings", "2000"));
        int latencyRate = Integer.parseInt(opt.getOrDefault("latencyRate", "200"));
        // db=jdbc:postgresql://...: the member writes its durable maps (jobs, receipts index, warnings)
        // through to that database, as the gateway does; without it the maps live in memory only.
        String db = opt.get("db");
        System.out.printf("cpus=%d binds=%d window=%d tpsPerBind=%d warnings=%d java=%s durable=%s%n",
                Runtime.getRuntime().availableProcessors(), binds, window, tps, warnings, System.getProperty("java.version"),
                db == null ? "no (maps in memory only)" : "write-through to " + db.replaceAll("\\?.*", ""));

        List<Double> tpsErr = new ArrayList<>();
        List<Double> gwRate = new ArrayList<>();
        List<Double> refRate = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            try (BenchMember bench = BenchMember.start(db); SmscSimulator smsc = new SmscSimulator("bench").start()) {
                WorkStores member = bench.stores();
                double achieved = tpsPhase(member, smsc, binds, window, tps, tpsSeconds);
                double target = (double) tps * binds;
                tpsErr.add(100.0 * (achieved - target) / target);
                System.out.printf("run %d tps: target %.0f/s achieved %.1f/s (%.2f%%), throttling errors 0%n",
                        run, target, achieved, tpsErr.get(tpsErr.size() - 1));

                smsc.clearReceived();
                double rate = throughputPhase(member, smsc, binds, window, warnings);
                gwRate.add(rate);
                System.out.printf("run %d gateway unlimited: %.0f submit_sm/s (%d warnings, durable jobs, receipts on)%n", run, rate, warnings);

                smsc.clearReceived();
                double ref = referencePhase(smsc, warnings);
                refRate.add(ref);
                System.out.printf("run %d reference sync jsmpp client, 1 session: %.0f submit_sm/s%n", run, ref);

                smsc.clearReceived();
                double[] lat = latencyPhase(member, smsc, binds, window, latencyWarnings, latencyRate);
                p50.add(lat[0]);
                p99.add(lat[1]);
                System.out.printf("run %d latency warn()->first submit_sm at %d/s: p50 %.2f ms p99 %.2f ms%n", run, latencyRate, lat[0], lat[1]);
            }
        }
        System.out.printf("MEDIAN tps error %.2f%% | gateway %.0f submit_sm/s | reference %.0f submit_sm/s | latency p50 %.2f ms p99 %.2f ms%n",
                median(tpsErr), median(gwRate), median(refRate), median(p50), median(p99));
        System.exit(0);
    }

    private static SmppGatewayConfig config(SmscSimulator smsc, int binds, int window, int tps) {
        return SmppGatewayConfig.builder()
                .addSmsc(SmscConfig.builder().name("bench-" + smsc.port()).host("127.0.0.1").port(smsc.port())
                        .receiptIdFormat(ReceiptIdFormat.HEX_TO_DECIMAL)
                        .addBind(BindConfig.builder().systemId("bench").password("bench").count(binds).build()).build())
                .windowSize(window).tpsPerBind(tps).queuePerBind(100_000)
                .responseTimeout(Duration.ofSeconds(5)).jobLease(Duration.ofSeconds(30))
                .dedupWindow(Duration.ofMinutes(10)).build();
    }

    private static PhoneNumber subscriber(int phase, int i) {
        return PhoneNumbers.parse(String.format("13%d%08d", phase, i));
    }

    private static SmppGateway startGateway(WorkStores member, SmppGatewayConfig config) {
        GatewayFixture fx = new GatewayFixture();
        SmppGateway gw = fx.gateway(config, member);
        gw.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!gw.health().stream().allMatch(BindHealth::isBound)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("binds not up: " + gw.health());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return gw;
    }

    private static void awaitSubmits(SmscSimulator smsc, int count, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (smsc.submitsSeen() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + smsc.submitsSeen() + " of " + count + " submit_sm within " + max);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Offers more than the limit allows for about {@code seconds}; the rate is measured at the SMSC between the 10th and the last submit. */
    private static double tpsPhase(WorkStores member, SmscSimulator smsc, int binds, int window, int tps, int seconds) {
        int parts = partsOf(GatewayFixture.TEMPLATES.forType(TYPE).render(Map.of(Placeholder.FRAUD_TYPE, TYPE.chineseName())));
        int warnings = tps * binds * seconds / parts;
        int submits = warnings * parts;
        try (SmppGateway gw = startGateway(member, config(smsc, binds, window, tps))) {
            int base = smsc.submitsSeen();
            smsc.clearReceived();
            for (int i = 0; i < warnings; i++) {
                gw.warnings().warn(new WarningRequest(subscriber(1, i), TYPE, 1, null, WarningRequest.Source.POLICE));
            }
            awaitSubmits(smsc, base + submits, Duration.ofSeconds(seconds * 3L + 30));
            long[] at = smsc.received().stream().mapToLong(SmscSimulator.Received::atNanos).sorted().toArray();
            long throttled = smsc.received().stream().filter(r -> r.status() == 0x58).count();
            if (throttled > 0) {
                throw new IllegalStateException(throttled + " throttling errors");
            }
            // The middle 80%: the first submits wait for the jobs to be stored, the last for the slowest bind.
            int from = at.length / 10;
            int to = at.length - 1 - at.length / 10;
            return (to - from) / ((at[to] - at[from]) / 1e9);
        }
    }

    private static double throughputPhase(WorkStores member, SmscSimulator smsc, int binds, int window, int warnings) {
        try (SmppGateway gw = startGateway(member, config(smsc, binds, window, 0))) {
            int partsPerWarning = partsOf(renderedText());
            int base = smsc.submitsSeen();
            long start = System.nanoTime();
            for (int i = 0; i < warnings; i++) {
                gw.warnings().warn(new WarningRequest(subscriber(2, i), TYPE, 1, PhoneNumbers.parse("17100004321"),
                        WarningRequest.Source.CONTACT_EVENT));
            }
            int total = warnings * partsPerWarning;
            awaitSubmits(smsc, base + total, Duration.ofMinutes(5));
            return total / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static String renderedText() {
        return GatewayFixture.TEMPLATES.forType(TYPE).render(Map.of(Placeholder.FRAUD_TYPE, TYPE.chineseName(),
                Placeholder.FRAUD_LAST4, "4321"));
    }

    private static int partsOf(String text) {
        return new SmsEncoder(DataCodingPolicy.UCS2_ONLY).encode(text, SmsKind.NORMAL, 0).parts().size();
    }

    /** The same parts, sent by the plainest jsmpp use: one session, synchronous submit, one after the other. */
    private static double referencePhase(SmscSimulator smsc, int warnings) throws Exception {
        EncodedSms sms = new SmsEncoder(DataCodingPolicy.UCS2_ONLY).encode(renderedText(), SmsKind.NORMAL, 7);
        SMPPSession session = new SMPPSession();
        session.setTransactionTimer(5000);
        session.setMessageReceiverListener(new org.jsmpp.session.MessageReceiverListener() {
            @Override
            public void onAcceptDeliverSm(org.jsmpp.bean.DeliverSm deliverSm) {
                // Receipts are answered by jsmpp when this returns; the reference does nothing else with them.
            }

            @Override
            public void onAcceptAlertNotification(org.jsmpp.bean.AlertNotification alertNotification) {
                // Not sent by the simulator.
            }

            @Override
            public org.jsmpp.session.DataSmResult onAcceptDataSm(org.jsmpp.bean.DataSm dataSm, org.jsmpp.session.Session source)
                    throws org.jsmpp.extra.ProcessRequestException {
                throw new org.jsmpp.extra.ProcessRequestException("not supported", 0x03);
            }
        });
        session.connectAndBind("127.0.0.1", smsc.port(), new BindParameter(BindType.BIND_TRX, "bench", "bench", "",
                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
        try {
            long start = System.nanoTime();
            int total = 0;
            for (int i = 0; i < warnings; i++) {
                String dest = subscriber(3, i).e164().substring(1);
                for (byte[] part : sms.parts()) {
                    session.submitShortMessage("", TypeOfNumber.NETWORK_SPECIFIC, NumberingPlanIndicator.UNKNOWN, "12381",
                            TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, dest, new ESMClass(sms.esmClass()),
                            (byte) 0, (byte) 0, null, null, new RegisteredDelivery(1), (byte) 0,
                            new RawDataCoding(sms.dataCoding()), (byte) 0, part);
                    total++;
                }
            }
            return total / ((System.nanoTime() - start) / 1e9);
        } finally {
            session.unbindAndClose();
        }
    }

    /** Warnings at a steady rate; for each, the time from warn() to the SMSC's first submit_sm to that subscriber. */
    private static double[] latencyPhase(WorkStores member, SmscSimulator smsc, int binds, int window, int count, int rate) {
        try (SmppGateway gw = startGateway(member, config(smsc, binds, window, 0))) {
            long[] sentAt = new long[count];
            Map<String, Integer> index = new HashMap<>();
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            long next = System.nanoTime();
            int base = smsc.submitsSeen();
            for (int i = 0; i < count; i++) {
                while (System.nanoTime() < next) {
                    LockSupport.parkNanos(next - System.nanoTime());
                }
                PhoneNumber s = subscriber(4, i);
                index.put(s.e164().substring(1), i);
                sentAt[i] = System.nanoTime();
                gw.warnings().warn(new WarningRequest(s, TYPE, 1, null, WarningRequest.Source.CONTACT_EVENT));
                next += interval;
            }
            awaitSubmits(smsc, base + count * partsOf(GatewayFixture.TEMPLATES.forType(TYPE)
                    .render(Map.of(Placeholder.FRAUD_TYPE, TYPE.chineseName()))), Duration.ofMinutes(2));
            // The count alone is not enough: with a database, jobs left over from the unlimited phase
            // may still be sending, so wait until every warning of this phase has been seen.
            long[] first = new long[count];
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            int missing;
            do {
                Arrays.fill(first, Long.MAX_VALUE);
                for (SmscSimulator.Received r : smsc.received()) {
                    Integer i = index.get(r.destination());
                    if (i != null) {
                        first[i] = Math.min(first[i], r.atNanos());
                    }
                }
                missing = (int) Arrays.stream(first).filter(t -> t == Long.MAX_VALUE).count();
                if (missing > 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
            } while (missing > 0 && System.nanoTime() < deadline);
            if (missing > 0) {
                throw new IllegalStateException(missing + " of " + count + " latency-phase warnings never reached the SMSC");
            }
            double[] ms = new double[count];
            for (int i = 0; i < count; i++) {
                ms[i] = (first[i] - sentAt[i]) / 1e6;
            }
            Arrays.sort(ms);
            int skip = count / 10;
            double[] steady = Arrays.copyOfRange(ms, 0, count);
            return new double[] {percentile(steady, 50), percentile(steady, 99), skip};
        }
    }

    private static double percentile(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /**
     * The benchmark's Hazelcast member: a plain in-memory member, or, with {@code db=}, the gateway's own
     * registry member ({@link RegistryMember}) whose {@code durable.*} maps write through to that database.
     */
    private static final class BenchMember implements AutoCloseable {
        private final TestCluster plain;
        private final JdbcRegistryStores stores;
        private final RegistryMember durable;

        private BenchMember(TestCluster plain, JdbcRegistryStores stores, RegistryMember durable) {
            this.plain = plain;
            this.stores = stores;
            this.durable = durable;
        }

        static BenchMember start(String db) throws IOException {
            if (db == null) {
                return new BenchMember(new TestCluster(1), null, null);
            }
            JdbcRegistryStores stores = JdbcRegistryStores.open(DatabaseConfig.builder(db).poolSize(16).build());
            // Each run starts empty, like the in-memory member: no jobs of an earlier run to load.
            try (java.sql.Connection c = stores.dataSource().getConnection();
                 java.sql.Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM durable_entry");
                st.executeUpdate("DELETE FROM work_entry");
            } catch (java.sql.SQLException e) {
                stores.close();
                throw new IllegalStateException("could not empty durable_entry in " + db, e);
            }
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            RegistryConfig config = RegistryConfig.builder().clusterName("smpp-bench-" + UUID.randomUUID())
                    .bindAddress("127.0.0.1").port(port).members(List.of("127.0.0.1:" + port)).build();
            return new BenchMember(null, stores, RegistryMember.start(config, stores, SmppGateway.WORK_STORES));
        }

        WorkStores stores() {
            return plain != null ? plain.stores(0) : durable.workStores();
        }

        @Override
        public void close() {
            if (plain != null) {
                plain.close();
            } else {
                durable.close();
                stores.close();
            }
        }
    }
}
