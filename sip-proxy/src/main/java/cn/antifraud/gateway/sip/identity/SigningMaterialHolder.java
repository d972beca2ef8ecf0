package cn.antifraud.gateway.sip.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing key in use, swapped atomically by {@link #reload()} (the gateway calls it on SIGHUP):
 * a call signed during a reload uses either the old key and header or the new ones, never a mix. A
 * reload that fails keeps the old material and reports why.
 *
 * <p>Besides the material it holds what every signature shares and can be computed once: the JWS
 * protected header {@code {"alg":"ES256","ppt":"rcd","typ":"passport","x5u":...}} (RFC 8225 §4 and
 * §8.1, ppt value "rcd" of RFC 9795) already base64url-encoded, and the ES256 signer.
 */
public final class SigningMaterialHolder {
    private static final Logger LOG = LoggerFactory.getLogger(SigningMaterialHolder.class);
    static final String PPT = "rcd";
    static final JOSEObjectType PASSPORT = new JOSEObjectType("passport");

    private final SigningSource source;
    private final AtomicReference<ActiveKey> active;

    private SigningMaterialHolder(SigningSource source, ActiveKey first) {
        this.source = source;
        this.active = new AtomicReference<>(first);
    }

    /** Loads the material once; the gateway refuses to start when this throws. */
    public static SigningMaterialHolder load(SigningSource source) throws IdentityException {
        Objects.requireNonNull(source, "source");
        SigningMaterialHolder h = new SigningMaterialHolder(source, ActiveKey.of(source.load()));
        LOG.info("identity signing: {}{}", h.material(), selfSigned(h.material()) ? " (self-signed)" : "");
        return h;
    }

    /** For tests and tools: material already in memory, {@link #reload()} unsupported. */
    static SigningMaterialHolder of(SigningMaterial material) throws IdentityException {
        return new SigningMaterialHolder(null, ActiveKey.of(material));
    }

    /**
     * Re-reads the key and certificate files; on success the next call is signed with them. On failure
     * the old material stays in use and the exception says what is wrong (file and problem, no secret).
     */
    public SigningMaterial reload() throws IdentityException {
        if (source == null) {
            throw new IdentityException("this signing material was not loaded from files");
        }
        ActiveKey next = ActiveKey.of(source.load());
        ActiveKey previous = active.getAndSet(next);
        LOG.info("identity signing reloaded: {} (was sha256={})", next.material, previous.material.fingerprint());
        return next.material;
    }

    public SigningMaterial material() {
        return active.get().material;
    }

    ActiveKey active() {
        return active.get();
    }

    private static boolean selfSigned(SigningMaterial m) {
        var leaf = m.chain().get(0);
        return leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal());
    }

    /** Material plus what is derived from it once. */
    static final class ActiveKey {
        final SigningMaterial material;
        final JWSHeader header;
        /** {@code BASE64URL(UTF8(header))}: the first part of every signing input (RFC 7515 §5.1). */
        final String encodedHeader;
        final ECDSASigner signer;

        private ActiveKey(SigningMaterial material, JWSHeader header, ECDSASigner signer) {
            this.material = material;
            this.header = header;
            this.encodedHeader = header.toBase64URL().toString();
            this.signer = signer;
        }

        static ActiveKey of(SigningMaterial m) throws IdentityException {
            try {
                JWSHeader built = new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .type(PASSPORT)
                        .customParam("ppt", PPT)
                        .x509CertURL(m.x5u())
                        .build();
                // Canonical JSON (keys sorted, no white space; RFC 8225 §9), parsed back together with its
                // encoding: the header then keeps exactly these bytes and is never re-serialised per call.
                String json = JSONObjectUtils.toJSONString(new TreeMap<>(built.toJSONObject()));
                JWSHeader header = JWSHeader.parse(json, Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)));
                ECDSASigner signer = new ECDSASigner(m.key());
                EcdsaProvider.preferred().ifPresent(p -> signer.getJCAContext().setProvider(p));
                return new ActiveKey(m, header, signer);
            } catch (JOSEException | ParseException e) {
                throw new IdentityException("cannot use the signing key for ES256: " + e.getMessage(), e);
            }
        }
    }
}
