package cn.antifraud.gateway.app.config;

import cn.antifraud.gateway.sip.identity.IdentityException;
import cn.antifraud.gateway.sip.identity.KnownCertificates;
import cn.antifraud.gateway.sip.identity.SigningSource;
import cn.antifraud.gateway.sip.identity.VerifiedCardGate.VerifyingPeer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads {@code sip.identity}. Every file is resolved against the config file's folder, must exist,
 * and is parsed now (the key against its certificate, each chain against the trust anchors), so a
 * bad file stops startup with {@code file:line: key: problem} rather than at the first call. The
 * keystore password comes from the environment variable {@code password-env} names; neither it nor
 * the key appears in any message.
 */
final class IdentitySettingsReader {
    private final Function<String, String> environment;
    private final Path baseDir;

    IdentitySettingsReader(Function<String, String> environment, Path baseDir) {
        this.environment = environment;
        this.baseDir = baseDir;
    }

    IdentitySettings read(Section s, List<VerifyingPeer> verifyingPeers, Section peersSection) {
        Optional<SigningSource> signing = s.has("signing") ? Optional.of(signing(s.section("signing"))) : Optional.empty();
        Section v = s.section("verification");
        Duration maxAge = GatewayConfigLoader.positive(v, "max-age", Duration.ofSeconds(60));
        Optional<Path> anchors = v.optionalString("trust-anchors").map(p -> file(v, "trust-anchors", p));
        Map<URI, Path> chains = new LinkedHashMap<>();
        for (Section c : v.sections("certificates")) {
            URI x5u = url(c, "x5u");
            if (chains.put(x5u, file(c, "file", c.string("file"))) != null) {
                throw c.error("x5u", "listed twice");
            }
            c.finish();
        }
        if (anchors.isEmpty() && !chains.isEmpty()) {
            throw v.error("trust-anchors", "is required when certificates are listed");
        }
        if (anchors.isPresent()) {
            try {
                KnownCertificates.load(anchors.get(), chains);
            } catch (IdentityException e) {
                throw v.error("certificates", e.getMessage());
            }
        }
        v.finish();
        s.finish();
        if (!verifyingPeers.isEmpty() && chains.isEmpty()) {
            throw peersSection.error("trusted-peers", "a peer has verify-identity: true but sip.identity.verification"
                    + " lists no certificates (x5u and file) to verify with");
        }
        return new IdentitySettings(signing, maxAge, anchors, chains, verifyingPeers);
    }

    private SigningSource signing(Section s) {
        URI x5u = url(s, "x5u-url");
        Optional<String> keystore = s.optionalString("keystore");
        Optional<String> keyFile = s.optionalString("key-file");
        SigningSource source;
        if (keystore.isPresent()) {
            if (keyFile.isPresent() || s.has("certificate-file")) {
                throw s.error("keystore", "give keystore, or key-file and certificate-file, not both");
            }
            String env = s.string("password-env");
            source = SigningSource.pkcs12(file(s, "keystore", keystore.get()), env, x5u);
        } else {
            if (keyFile.isEmpty()) {
                throw s.error("key-file", "is required (with certificate-file), or give keystore and password-env");
            }
            if (s.has("password-env")) {
                throw s.error("password-env", "belongs to keystore; a PEM key-file is not encrypted");
            }
            source = SigningSource.pem(file(s, "key-file", keyFile.get()),
                    file(s, "certificate-file", s.string("certificate-file")), x5u);
        }
        s.finish();
        try {
            source.load(environment);
        } catch (IdentityException e) {
            throw s.error(keystore.isPresent() ? "keystore" : "key-file", e.getMessage());
        }
        return source;
    }

    private Path file(Section s, String key, String value) {
        Path p = baseDir.resolve(value.trim()).normalize();
        if (!Files.isRegularFile(p)) {
            throw s.error(key, "file " + p + " does not exist");
        }
        return p;
    }

    private static URI url(Section s, String key) {
        String text = s.string(key);
        try {
            URI u = new URI(text);
            if (!u.isAbsolute() || !("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))
                    || u.getHost() == null) {
                throw s.error(key, "must be an absolute http or https URL");
            }
            return u;
        } catch (URISyntaxException e) {
            throw s.error(key, "not a URL: " + e.getReason());
        }
    }
}
