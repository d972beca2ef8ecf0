package cn.antifraud.gateway.sip.identity;

import java.security.Provider;
import java.util.Optional;
import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JCA provider for ES256 (ECDSA P-256 with SHA-256, RFC 7518 §3.4): Conscrypt (BoringSSL) when
 * its native library loads on this platform, else the JDK's own. Why: on this project's machine
 * JDK 17's pure-Java P-256 took about 1.1 ms of CPU per signature and 2 ms per verification,
 * Conscrypt about 75 µs and 105 µs (docs/sip-benchmark.md); a signed branded INVITE must stay cheap.
 * Keys stay JDK key objects; only the Signature engine changes.
 */
final class EcdsaProvider {
    private static final Logger LOG = LoggerFactory.getLogger(EcdsaProvider.class);
    private static final Optional<Provider> PREFERRED = load();

    private EcdsaProvider() {
    }

    /** Conscrypt's provider, or empty to use the JDK default. */
    static Optional<Provider> preferred() {
        return PREFERRED;
    }

    private static Optional<Provider> load() {
        try {
            if (Conscrypt.isAvailable()) {
                Conscrypt.Version v = Conscrypt.version();
                LOG.info("ES256 signatures by Conscrypt {}.{}.{} (BoringSSL)", v.major(), v.minor(), v.patch());
                return Optional.of(Conscrypt.newProvider());
            }
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("Conscrypt not usable here ({}); ES256 by the JDK's provider, about 15 times the CPU", e.toString());
            return Optional.empty();
        }
        LOG.warn("Conscrypt has no native library for this platform; ES256 by the JDK's provider, about 15 times the CPU");
        return Optional.empty();
    }
}
