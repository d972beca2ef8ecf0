package cn.antifraud.gateway.smpp;

import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.smpp.sim.SmscSimulator;
import cn.antifraud.gateway.smpp.template.WarningTemplates;
import cn.antifraud.gateway.registry.work.WorkStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Builds gateways against a simulator with short timers, so faults recover within a test's patience. */
final class GatewayFixture {
    /** The shipped templates, from the module folder (tests) or the project folder (benchmark). */
    static final WarningTemplates TEMPLATES = WarningTemplates.load(
            java.nio.file.Files.isDirectory(Path.of("config", "templates")) ? Path.of("config", "templates") : Path.of("..", "config", "templates"));

    final Map<PhoneNumber, FamilyContacts> family = new ConcurrentHashMap<>();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    static SmppGatewayConfig.Builder config(SmscSimulator smsc, String password, int binds) {
        return SmppGatewayConfig.builder()
                // The Cloudhopper simulator answers submit_sm in hex and writes receipts in decimal (by default).
                .addSmsc(SmscConfig.builder().name("sim-" + smsc.port()).host("127.0.0.1").port(smsc.port())
                        .receiptIdFormat(ReceiptIdFormat.HEX_TO_DECIMAL)
                        .addBind(BindConfig.builder().systemId("antifraud").password(password).count(binds).build())
                        .build())
                .reconnectBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)))
                .bindTimeout(Duration.ofSeconds(2))
                .responseTimeout(Duration.ofSeconds(1))
                .jobLease(Duration.ofSeconds(2))
                .sweepInterval(Duration.ofMillis(100))
                .drainTimeout(Duration.ofSeconds(2))
                .retryPolicy(new RetryPolicy(Duration.ofMinutes(2), new Backoff(Duration.ofMillis(50), Duration.ofMillis(300)), true));
    }

    SmppGateway gateway(SmppGatewayConfig config, WorkStores stores) {
        return new SmppGateway(config, TEMPLATES, stores, s -> Optional.ofNullable(family.get(s)), meters);
    }

    double counter(String name, String... tags) {
        var c = meters.find(name).tags(tags).counters();
        return c.stream().mapToDouble(x -> x.count()).sum();
    }
}
