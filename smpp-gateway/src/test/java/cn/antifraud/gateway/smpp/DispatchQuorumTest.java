package cn.antifraud.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.smpp.sim.NodeSmsc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member without the registry quorum (cut off from the majority by a split, issue 13) sends no SMS job
 * although its bind is up: jobs wait, refusals are counted in {@code smpp.jobs.dispatch_refused{reason=no_quorum}},
 * and they go out once the quorum is back. Against the node-smpp simulator.
 */
class DispatchQuorumTest {
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    @Test
    void withoutQuorumNothingIsSentAndWithItBackTheWarningGoesOut(@TempDir Path work) throws Exception {
        AtomicBoolean quorum = new AtomicBoolean(false);
        GatewayFixture fx = new GatewayFixture();
        try (TestCluster cluster = new TestCluster(1);
             NodeSmsc smsc = new NodeSmsc(work.resolve("smsc"), "--receipt-delay-ms", "20")) {
            SmppGatewayConfig config = SmppGatewayConfig.builder()
                    .addSmsc(SmscConfig.builder().name("sim").host("127.0.0.1").port(smsc.port())
                            .addBind(BindConfig.builder().systemId("antifraud").password("secret").build()).build())
                    .sweepInterval(Duration.ofMillis(100))
                    .build();
            try (SmppGateway gw = new SmppGateway(config, GatewayFixture.TEMPLATES, cluster.stores(0),
                    s -> Optional.empty(), fx.meters, quorum::get)) {
                gw.start();
                Await.until("bind up", PATIENCE, () -> gw.health().stream().anyMatch(BindHealth::isBound));
                WarningRecord w = gw.warnings().warn(new WarningRequest(PhoneNumbers.parse("13400000001"),
                        FraudType.FAKE_LOAN, 1, null, WarningRequest.Source.POLICE)).toCompletableFuture().join();
                String job = w.jobIds().get(0);

                Await.until("ten refusals", PATIENCE, () -> fx.counter("smpp.jobs.dispatch_refused", "reason", "no_quorum") >= 10);
                assertEquals(JobState.QUEUED, gw.job(job).orElseThrow().state(), "not leased, not sent");
                assertEquals(0, gw.job(job).orElseThrow().attempts());
                assertTrue(smsc.receiptsSent().isEmpty(), "the SMSC received nothing");

                quorum.set(true);
                Await.until("delivered once the quorum is back", PATIENCE,
                        () -> gw.job(job).orElseThrow().state() == JobState.DELIVERED);
            }
        }
    }
}
