package cn.antifraud.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.smpp.sim.NodeSmsc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every receipt lands on its own job (issue 11): 4 × 2,500 warnings against the node-smpp simulator with
 * sequential decimal ids, hex ids, receipts that spell the id in the other base, receipts sent before the
 * submit_sm_resp, and failed and expired receipts mixed in. The simulator logs the receipt it sent for each
 * message id; every job's final state must be the one its parts' receipts say, and {@code smpp.jobs.final}
 * must count each job once.
 */
class ExactReceiptsTest {
    /**
     * Per scenario. 2,500 (10,000 in all, the figure) with -DexactReceipts.warnings=2500; the module's
     * test run uses fewer, since the machine is shared and the point is every receipt, not the volume.
     */
    private static final int WARNINGS = Integer.getInteger("exactReceipts.warnings", 400);
    /** Against a hung run only; a run on a busy shared machine takes well under this. */
    private static final Duration PATIENCE = Duration.ofMinutes(10);
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new TestCluster(1);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @ParameterizedTest(name = "ids {1}, receipts {2}")
    @CsvSource({
            "0, decimal, as-is",
            "1, hex, as-is",
            "2, hex, hex-to-decimal",
            "3, decimal, decimal-to-hex",
    })
    void everyJobEndsInTheStateItsReceiptsSaid(int scenario, String idFormat, String receiptIdFormat,
                                               @TempDir Path work) throws Exception {
        GatewayFixture fx = new GatewayFixture();
        try (NodeSmsc smsc = new NodeSmsc(work, "--id-format", idFormat, "--receipt-id-format", receiptIdFormat,
                "--receipt-before-resp-every", "5", "--fail-every", "7", "--expire-every", "11", "--receipt-delay-ms", "50");
             SmppGateway gw = fx.gateway(config(smsc, ReceiptIdFormat.valueOf(receiptIdFormat.toUpperCase().replace('-', '_'))),
                     cluster.stores(0))) {
            gw.start();
            Await.until("binds up", PATIENCE, () -> gw.health().stream().allMatch(BindHealth::isBound));
            List<CompletableFuture<WarningRecord>> posted = new ArrayList<>();
            for (int i = 0; i < WARNINGS; i++) {
                String subscriber = String.format("13%d%08d", 5 + scenario, i);
                posted.add(gw.warnings().warn(new WarningRequest(PhoneNumbers.parse(subscriber), FraudType.FAKE_INVESTMENT,
                        1, null, WarningRequest.Source.POLICE)).toCompletableFuture());
            }
            List<String> jobIds = new ArrayList<>();
            for (CompletableFuture<WarningRecord> w : posted) {
                jobIds.addAll(w.join().jobIds());
            }
            assertEquals(WARNINGS, jobIds.size(), "one job per tier-1 warning");

            Set<String> open = new HashSet<>(jobIds);
            Await.until("every job final", PATIENCE, () -> {
                open.removeIf(id -> gw.job(id).orElseThrow().state().isFinal());
                return open.isEmpty();
            }, () -> open.size() + " jobs not final, e.g. " + open.stream().limit(3).map(id -> gw.job(id).orElseThrow()).toList());

            List<SmsJob> jobs = jobIds.stream().map(id -> gw.job(id).orElseThrow()).toList();
            Set<String> ids = new HashSet<>();
            jobs.forEach(j -> j.messageIds().stream().filter(id -> !id.isEmpty()).forEach(ids::add));
            AtomicReference<Map<String, String>> log = new AtomicReference<>(Map.of());
            Await.until("the simulator's receipt log covers every message id", PATIENCE, () -> {
                log.set(smsc.receiptsSent());
                return log.get().keySet().containsAll(ids);
            });
            Map<String, String> sent = log.get();
            List<String> mismatches = new ArrayList<>();
            for (SmsJob job : jobs) {
                JobState expected = expectedState(job.messageIds(), sent);
                if (job.messageIds().contains("")) {
                    mismatches.add(job.id() + " " + job.state() + " with a part never accepted: " + job);
                } else if (job.state() != expected) {
                    mismatches.add(job.id() + " " + job.state() + " but receipts " + job.messageIds().stream().map(sent::get).toList());
                }
            }
            assertEquals(List.of(), mismatches.stream().limit(10).toList(), mismatches.size() + " of " + jobs.size() + " jobs mismatched");
            assertEquals(jobs.size(), (long) fx.counter("smpp.jobs.final"), "smpp.jobs.final counts each job once");
            long failed = jobs.stream().filter(j -> j.state() == JobState.FAILED).count();
            long expired = jobs.stream().filter(j -> j.state() == JobState.EXPIRED).count();
            assertTrue(failed > 0 && expired > 0, "failure receipts were mixed in: " + failed + " failed, " + expired + " expired");
            assertTrue(fx.counter("smpp.receipts", "match", "before_submit_resp") > 0,
                    "some receipts came before their submit_sm_resp and were claimed from the parking");
        }
    }

    /** What the receipts of a job's parts make of it: FAILED or EXPIRED if one part is, else DELIVERED. */
    private static JobState expectedState(List<String> messageIds, Map<String, String> sent) {
        List<String> stats = messageIds.stream().map(sent::get).toList();
        if (stats.contains("UNDELIV")) {
            return JobState.FAILED;
        }
        return stats.contains("EXPIRED") ? JobState.EXPIRED : JobState.DELIVERED;
    }

    private static SmppGatewayConfig config(NodeSmsc smsc, ReceiptIdFormat format) {
        return SmppGatewayConfig.builder()
                .addSmsc(SmscConfig.builder().name("node-" + smsc.port()).host("127.0.0.1").port(smsc.port())
                        .receiptIdFormat(format)
                        .addBind(BindConfig.builder().systemId("antifraud").password("secret").count(2).build())
                        .build())
                .reconnectBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)))
                .responseTimeout(Duration.ofSeconds(10))
                .jobLease(Duration.ofSeconds(30))
                .sweepInterval(Duration.ofMillis(500))
                .drainTimeout(Duration.ofSeconds(2))
                .build();
    }
}
