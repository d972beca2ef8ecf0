package cn.antifraud.gateway.sip.identity;

import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the {@code Identity} header field value (RFC 8224 §4) for a call the gateway branded:
 *
 * <pre>
 * Identity: BASE64URL(header).BASE64URL(claims).BASE64URL(signature);info=&lt;x5u&gt;;alg=ES256;ppt=rcd
 * </pre>
 *
 * in the full form (RFC 8224 §4: the PASSporT travels whole, so a verifier needs nothing from this
 * gateway but the certificate). The claims are {@link RcdClaims}. Per call: orig, dest and iat
 * spliced into the card's cached claims, base64url, and one ES256 signature; the header encoding,
 * the jCard digest and the card's constant claims (crn, rcd, rcdi) are cached.
 *
 * <p>Thread-safe: the key comes from the {@link SigningMaterialHolder} at each call.
 */
public final class IdentitySigner {
    private static final Logger LOG = LoggerFactory.getLogger(IdentitySigner.class);
    /** At most one failure log line per this many nanoseconds: a broken key must not flood the log. */
    private static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final SigningMaterialHolder keys;
    private final JCardDigests digests;
    private final IdentityMetrics metrics;
    private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS);

    public IdentitySigner(SigningMaterialHolder keys, CardDocument documents, IdentityMetrics metrics) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.digests = new JCardDigests(Objects.requireNonNull(documents, "documents"));
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * {@link #identity}, counted; null (counted and logged, rate-limited) when it cannot be made, so
     * that the branded call still goes out, unsigned, rather than being lost.
     */
    public String identityOrNull(WarningNumber card, PhoneNumber orig, PhoneNumber dest, String cardUrl, Instant now) {
        try {
            String v = identity(card, orig, dest, cardUrl, now);
            metrics.signed();
            return v;
        } catch (IdentityException | RuntimeException e) {
            metrics.signFailure();
            long t = System.nanoTime();
            long last = lastFailureLog.get();
            if (t - last >= FAILURE_LOG_INTERVAL_NANOS && lastFailureLog.compareAndSet(last, t)) {
                LOG.warn("branded call for {} left unsigned: {}", card.number(), e.toString());
            }
            return null;
        }
    }

    /**
     * The Identity value asserting that {@code orig} calls {@code dest} with {@code card}, whose jCard
     * is at {@code cardUrl} (the URL of the Call-Info the branding added).
     *
     * @throws IdentityException when the signature cannot be made (a key the JCA refuses)
     */
    String identity(WarningNumber card, PhoneNumber orig, PhoneNumber dest, String cardUrl, Instant now)
            throws IdentityException {
        SigningMaterialHolder.ActiveKey key = keys.active();
        String claims = new RcdClaims(RcdClaims.tn(orig), RcdClaims.tn(dest), now.getEpochSecond(),
                digests.claims(card, cardUrl)).toJson();
        String signingInput = key.encodedHeader + "." + Base64URL.encode(claims.getBytes(StandardCharsets.UTF_8));
        Base64URL signature;
        try {
            signature = key.signer.sign(key.header, signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (JOSEException e) {
            throw new IdentityException("ES256 signing failed: " + e.getMessage(), e);
        }
        return IdentityHeader.format(signingInput + "." + signature, key.material.x5u().toString(), SigningMaterialHolder.PPT);
    }

    public SigningMaterial material() {
        return keys.material();
    }
}
