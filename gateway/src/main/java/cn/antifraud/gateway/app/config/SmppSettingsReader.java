package cn.antifraud.gateway.app.config;

import cn.antifraud.gateway.smpp.Backoff;
import cn.antifraud.gateway.smpp.BindConfig;
import cn.antifraud.gateway.smpp.BindType;
import cn.antifraud.gateway.smpp.DataCodingPolicy;
import cn.antifraud.gateway.smpp.MobilePrefixes;
import cn.antifraud.gateway.smpp.ReceiptIdFormat;
import cn.antifraud.gateway.smpp.RetryPolicy;
import cn.antifraud.gateway.smpp.SmppGatewayConfig;
import cn.antifraud.gateway.smpp.SmscConfig;
import cn.antifraud.gateway.smpp.SourceAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the {@code smpp} section into the SMPP gateway's own {@link SmppGatewayConfig}; a value its
 * builders refuse becomes a {@link ConfigException} at the key.
 */
final class SmppSettingsReader {
    private final Function<String, String> environment;
    private final Path baseDir;

    SmppSettingsReader(Function<String, String> environment, Path baseDir) {
        this.environment = environment;
        this.baseDir = baseDir;
    }

    /** Empty when no SMSC is configured: the gateway then runs without SMS (and health says so). */
    Optional<SmppSettings> read(Section s, String nodeId, Duration dedupWindow, MobilePrefixes mobilePrefixes) {
        List<Section> smscs = s.sections("smscs");
        SmppGatewayConfig.Builder b = SmppGatewayConfig.builder().nodeId(nodeId).dedupWindow(dedupWindow)
                .mobilePrefixes(mobilePrefixes);
        for (Section smsc : smscs) {
            b.addSmsc(smsc(smsc));
        }
        Section source = s.section("source");
        try {
            b.source(new SourceAddress(source.string("address", "12381"),
                    (byte) source.integer("ton", 3, 0, 6), (byte) source.integer("npi", 0, 0, 18)));
        } catch (IllegalArgumentException e) {
            throw source.error(e.getMessage());
        }
        source.finish();
        b.windowSize(s.integer("window", 10, 1, 1000));
        b.tpsPerBind(s.integer("tps", 0, 0, 100_000));
        b.queuePerBind(s.integer("queue-per-bind", 1000, 1, 1_000_000));
        b.enquireLinkInterval(GatewayConfigLoader.positive(s, "enquire-link", Duration.ofSeconds(30)));
        b.bindTimeout(GatewayConfigLoader.positive(s, "bind-timeout", Duration.ofSeconds(10)));
        b.responseTimeout(GatewayConfigLoader.positive(s, "response-timeout", Duration.ofSeconds(10)));
        b.jobLease(GatewayConfigLoader.positive(s, "job-lease", Duration.ofSeconds(60)));
        b.receiptTimeout(GatewayConfigLoader.positive(s, "receipt-timeout", Duration.ofHours(72)));
        b.jobRetention(GatewayConfigLoader.positive(s, "job-retention", Duration.ofDays(7)));
        b.housekeepingWhileDown(GatewayConfigLoader.positive(s, "housekeeping-while-down", Duration.ofMinutes(5)));
        b.drainTimeout(GatewayConfigLoader.positive(s, "drain-timeout", Duration.ofSeconds(10)));
        b.dataCoding(s.enumValue("data-coding", DataCodingPolicy.class, DataCodingPolicy.UCS2_ONLY));
        Section reconnect = s.section("reconnect");
        b.reconnectBackoff(backoff(reconnect, Duration.ofMillis(500), Duration.ofSeconds(60)));
        reconnect.finish();
        Section retry = s.section("retry");
        Duration maxAge = GatewayConfigLoader.positive(retry, "max-age", Duration.ofHours(1));
        Backoff retryBackoff = backoff(retry, Duration.ofSeconds(1), Duration.ofSeconds(60));
        b.retryPolicy(new RetryPolicy(maxAge, retryBackoff, retry.bool("after-timeout", true)));
        // Unset: as long as the job retention, so an outage alone never expires a warning.
        if (retry.optionalString("hold-while-down").isPresent()) {
            b.holdWhileDown(GatewayConfigLoader.positive(retry, "hold-while-down", Duration.ofDays(7)));
        }
        retry.finish();
        Path templates = baseDir.resolve(s.string("templates", "templates")).normalize();
        if (!smscs.isEmpty() && !Files.isDirectory(templates)) {
            throw s.error("templates", "folder " + templates + " does not exist");
        }
        s.finish();
        if (smscs.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SmppSettings(b.build(), templates));
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }

    private static Backoff backoff(Section s, Duration initial, Duration max) {
        Duration first = GatewayConfigLoader.positive(s, "initial", initial);
        Duration cap = GatewayConfigLoader.positive(s, "max", max);
        if (cap.compareTo(first) < 0) {
            throw s.error("max", "must not be less than initial (" + first + "), got " + cap);
        }
        return new Backoff(first, cap);
    }

    private SmscConfig smsc(Section s) {
        SmscConfig.Builder b = SmscConfig.builder().name(s.string("name")).host(s.string("host"))
                .port(s.port("port", 2775, false))
                .receiptIdFormat(s.enumValue("receipt-id-format", ReceiptIdFormat.class, ReceiptIdFormat.AS_IS));
        List<Section> binds = s.sections("binds");
        if (binds.isEmpty()) {
            throw s.error("binds", "at least one bind is needed");
        }
        for (Section bind : binds) {
            String password = secret(bind).orElseThrow(() -> bind.error("password", "is required (or password-env)"));
            try {
                b.addBind(BindConfig.builder()
                        .systemId(bind.string("system-id"))
                        .password(password)
                        .systemType(bind.string("system-type", ""))
                        .bindType(bind.enumValue("type", BindType.class, BindType.TRANSCEIVER))
                        .count(bind.integer("count", 1, 1, 64))
                        .build());
            } catch (IllegalArgumentException e) {
                throw bind.error(e.getMessage());
            }
            bind.finish();
        }
        s.finish();
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }

    private Optional<String> secret(Section s) {
        Optional<String> inline = s.optionalString("password");
        Optional<String> variable = s.optionalString("password-env");
        if (inline.isPresent() && variable.isPresent()) {
            throw s.error("password-env", "give password or password-env, not both");
        }
        if (variable.isPresent()) {
            String value = environment.apply(variable.get());
            if (value == null) {
                throw s.error("password-env", "environment variable " + variable.get() + " is not set");
            }
            return Optional.of(value);
        }
        return inline;
    }
}
