package cn.antifraud.gateway.sip.identity;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One signing key and the certificate chain that vouches for it, checked on creation: an EC P-256
 * key (ES256 is the algorithm RFC 8225 §8 requires support for), a leaf certificate whose public key
 * is the key's, and the {@code x5u} URL (RFC 8225 §8; RFC 7515 §4.1.5) where verifiers fetch that
 * chain. Immutable; {@link #toString()} shows the fingerprint, never the key.
 */
public final class SigningMaterial {
    private final ECPrivateKey key;
    private final List<X509Certificate> chain;
    private final URI x5u;
    private final String fingerprint;

    SigningMaterial(java.security.PrivateKey key, List<X509Certificate> chain, URI x5u, String origin) throws IdentityException {
        Objects.requireNonNull(x5u, "x5u");
        if (!(key instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IdentityException(origin + ": the signing key must be an EC P-256 key (ES256)");
        }
        if (chain.isEmpty()) {
            throw new IdentityException(origin + ": no certificate");
        }
        if (!(chain.get(0).getPublicKey() instanceof ECPublicKey)) {
            throw new IdentityException(origin + ": the first certificate does not hold an EC public key");
        }
        if (!keyMatches(ec, chain.get(0))) {
            throw new IdentityException(origin + ": the first certificate is not the signing key's certificate");
        }
        this.key = ec;
        this.chain = List.copyOf(chain);
        this.x5u = x5u;
        this.fingerprint = fingerprint(chain.get(0));
    }

    /** True when a signature by {@code key} verifies under the certificate's public key. */
    private static boolean keyMatches(ECPrivateKey key, X509Certificate cert) {
        try {
            byte[] probe = "key-certificate match".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance("SHA256withECDSA");
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** SHA-256 of the certificate's DER, as colon-separated hex (what {@code openssl x509 -fingerprint -sha256} prints). */
    public static String fingerprint(X509Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    ECPrivateKey key() {
        return key;
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    public URI x5u() {
        return x5u;
    }

    /** SHA-256 fingerprint of the signing certificate. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The chain as PEM, what the x5u URL serves ({@code application/pem-certificate-chain}, RFC 8555 §9.1). */
    public String chainPem() {
        Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        StringBuilder out = new StringBuilder();
        for (X509Certificate c : chain) {
            try {
                out.append("-----BEGIN CERTIFICATE-----\n").append(b64.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("a parsed certificate re-encodes", e);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "SigningMaterial[subject=" + chain.get(0).getSubjectX500Principal().getName()
                + ", sha256=" + fingerprint + ", x5u=" + x5u + "]";
    }
}
