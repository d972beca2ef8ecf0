package cn.antifraud.gateway.sip.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The certificates a verifier accepts, by the {@code x5u} URL that names them (RFC 8225 §8). The
 * call path never fetches a URL: an operator configures, per URL, the PEM chain found there (leaf
 * first), and every chain is validated against the trust anchors (a PEM bundle) once, when loaded,
 * with the JDK's PKIX {@link CertPathValidator} (RFC 5280 §6; revocation checking off). Per call
 * only the leaf's validity period is checked again, because time moves on.
 */
public final class KnownCertificates {
    private final Map<String, Entry> byUrl;

    private KnownCertificates(Map<String, Entry> byUrl) {
        this.byUrl = Map.copyOf(byUrl);
    }

    /** A leaf certificate whose chain validated, and the ES256 verifier of its key (thread-safe, made once). */
    record Entry(X509Certificate leaf, ECDSAVerifier verifier) {
    }

    /**
     * Loads and validates every configured chain.
     *
     * @param trustAnchors PEM bundle of the CA certificates (a self-signed signer may be its own anchor)
     * @param chains       x5u URL to the PEM file holding the chain served there
     */
    public static KnownCertificates load(Path trustAnchors, Map<URI, Path> chains) throws IdentityException {
        Objects.requireNonNull(trustAnchors, "trustAnchors");
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate c : PemFiles.certificates(trustAnchors)) {
            anchors.add(new TrustAnchor(c, null));
        }
        Map<String, Entry> byUrl = new HashMap<>();
        for (Map.Entry<URI, Path> e : chains.entrySet()) {
            byUrl.put(e.getKey().toString(), validate(PemFiles.certificates(e.getValue()), anchors, e.getValue().toString()));
        }
        return new KnownCertificates(byUrl);
    }

    /** For tests and tools: chains already in memory. */
    static KnownCertificates of(List<X509Certificate> anchorCerts, Map<String, List<X509Certificate>> chains) throws IdentityException {
        Set<TrustAnchor> anchors = new HashSet<>();
        anchorCerts.forEach(c -> anchors.add(new TrustAnchor(c, null)));
        Map<String, Entry> byUrl = new HashMap<>();
        for (Map.Entry<String, List<X509Certificate>> e : chains.entrySet()) {
            byUrl.put(e.getKey(), validate(e.getValue(), anchors, e.getKey()));
        }
        return new KnownCertificates(byUrl);
    }

    private static Entry validate(List<X509Certificate> chain, Set<TrustAnchor> anchors, String origin) throws IdentityException {
        X509Certificate leaf = chain.get(0);
        if (!(leaf.getPublicKey() instanceof ECPublicKey key)) {
            throw new IdentityException(origin + ": the first certificate does not hold an EC public key (ES256)");
        }
        // A chain that is itself an anchor (a self-signed signer trusted directly) needs no path.
        boolean anchored = anchors.stream().anyMatch(a -> a.getTrustedCert().equals(leaf));
        if (!anchored) {
            try {
                // The path excludes any certificate that is itself an anchor, as PKIX expects.
                List<X509Certificate> path = chain.stream()
                        .filter(c -> anchors.stream().noneMatch(a -> a.getTrustedCert().equals(c))).toList();
                PKIXParameters params = new PKIXParameters(anchors);
                params.setRevocationEnabled(false);
                CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            } catch (GeneralSecurityException e) {
                throw new IdentityException(origin + ": the chain does not validate against the trust anchors: " + e.getMessage(), e);
            }
        }
        try {
            ECDSAVerifier verifier = new ECDSAVerifier(key);
            EcdsaProvider.preferred().ifPresent(p -> verifier.getJCAContext().setProvider(p));
            return new Entry(leaf, verifier);
        } catch (JOSEException e) {
            throw new IdentityException(origin + ": the certificate's key cannot verify ES256: " + e.getMessage(), e);
        }
    }

    Entry forUrl(String x5u) {
        return byUrl.get(x5u);
    }

    public int size() {
        return byUrl.size();
    }
}
