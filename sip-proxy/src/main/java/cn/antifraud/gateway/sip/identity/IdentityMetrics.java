package cn.antifraud.gateway.sip.identity;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters of signing and verification: {@code sip.identity.signed}, {@code sip.identity.sign.failures},
 * and {@code sip.identity.verifications{ingress, result}}, where result is a
 * {@link VerificationResult} tag and ingress a configured peer name (both bounded sets).
 */
public final class IdentityMetrics {
    private final MeterRegistry registry;
    private final Counter signed;
    private final Counter signFailures;
    private final ConcurrentHashMap<String, Map<VerificationResult, Counter>> verifications = new ConcurrentHashMap<>();

    public IdentityMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.signed = Counter.builder("sip.identity.signed")
                .description("Branded INVITEs that left with an Identity (rcd PASSporT)").register(registry);
        this.signFailures = Counter.builder("sip.identity.sign.failures")
                .description("Branded INVITEs that could not be signed and left without Identity").register(registry);
    }

    public void signed() {
        signed.increment();
    }

    public void signFailure() {
        signFailures.increment();
    }

    void verification(String ingress, VerificationResult result) {
        verifications.computeIfAbsent(ingress, this::countersFor).get(result).increment();
    }

    private Map<VerificationResult, Counter> countersFor(String ingress) {
        Map<VerificationResult, Counter> m = new EnumMap<>(VerificationResult.class);
        for (VerificationResult r : VerificationResult.values()) {
            m.put(r, Counter.builder("sip.identity.verifications")
                    .description("rcd PASSporTs checked on ingress, by outcome")
                    .tag("ingress", ingress).tag("result", r.tag()).register(registry));
        }
        return m;
    }
}
