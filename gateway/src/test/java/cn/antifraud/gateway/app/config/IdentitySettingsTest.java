package cn.antifraud.gateway.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sip.identity}: signing and verification settings, their files checked when the config loads. */
class IdentitySettingsTest {
    private static final String PASSWORD = "p12-secret-value";
    private static final String SIP = "sip:\n  listeners:\n    - { transport: udp, address: 127.0.0.1, port: 5060 }\n";
    private static final String PEM_SIGNING = "  identity:\n    signing:\n      key-file: id/signer.key.pem\n"
            + "      certificate-file: id/signer.cert.pem\n      x5u-url: \"http://127.0.0.1:8080/identity/cert.pem\"\n";

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeTestCertificates() throws Exception {
        Path script = Path.of("..", "loadtest", "identity", "make-test-cert.sh").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), dir.resolve("id").toString()).redirectErrorStream(true);
        pb.environment().put("IDENTITY_P12_PASSWORD", PASSWORD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    }

    private GatewayConfig load(String yaml) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return new GatewayConfigLoader(Map.of("ID_P12", PASSWORD)::get).load(file);
    }

    private ConfigException error(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml));
    }

    @Test
    void withoutTheSectionCardsAreNotSignedAndNothingIsVerified() throws IOException {
        IdentitySettings s = load(SIP).identity();
        assertTrue(s.signing().isEmpty());
        assertTrue(s.verifyingPeers().isEmpty());
        assertEquals(Duration.ofSeconds(60), s.maxAge());
    }

    @Test
    void pemSigningAndVerificationOfAPeer() throws IOException {
        IdentitySettings s = load(SIP + "  trusted-peers:\n"
                + "    - { name: interconnect, cidr: 10.9.0.0/16, role: interconnect, verify-identity: true }\n"
                + "    - { name: police-trunk, cidr: 10.1.0.0/16, role: police_trunk }\n"
                + PEM_SIGNING + "    verification:\n      max-age: 30s\n      trust-anchors: id/ca.cert.pem\n"
                + "      certificates:\n        - { x5u: \"https://peer.example/cert.pem\", file: id/signer.cert.pem }\n").identity();
        assertEquals(dir.resolve("id/signer.key.pem"), s.signing().orElseThrow().keyFile(), "relative to the config file");
        assertEquals(URI.create("http://127.0.0.1:8080/identity/cert.pem"), s.signing().orElseThrow().x5u());
        assertEquals(Duration.ofSeconds(30), s.maxAge());
        assertEquals(1, s.verifyingPeers().size());
        assertEquals("interconnect", s.verifyingPeers().get(0).name());
        assertEquals(dir.resolve("id/signer.cert.pem"), s.certificates().get(URI.create("https://peer.example/cert.pem")));
    }

    @Test
    void aPkcs12KeystoreTakesItsPasswordFromTheEnvironment() throws IOException {
        IdentitySettings s = load(SIP + "  identity:\n    signing:\n      keystore: id/signer.p12\n      password-env: ID_P12\n"
                + "      x5u-url: \"https://gw.example/identity/cert.pem\"\n").identity();
        assertEquals(dir.resolve("id/signer.p12"), s.signing().orElseThrow().keystore());
    }

    @Test
    void errorsNameTheLineAndTheKey() {
        assertError(error(SIP + PEM_SIGNING.replace("id/signer.key.pem", "id/nowhere.pem")), 6,
                "sip.identity.signing.key-file", "does not exist");
        assertError(error(SIP + PEM_SIGNING.replace("id/signer.key.pem", "id/other.key.pem")), 6,
                "sip.identity.signing.key-file", "is not the signing key's certificate");
        assertError(error(SIP + PEM_SIGNING.replace("\"http://127.0.0.1:8080/identity/cert.pem\"", "/identity/cert.pem")), 8,
                "sip.identity.signing.x5u-url", "absolute http or https URL");
        assertError(error(SIP + PEM_SIGNING + "      keystore: id/signer.p12\n"), 9,
                "sip.identity.signing.keystore", "not both");
        assertError(error(SIP + PEM_SIGNING + "      algorithm: ES384\n"), 9,
                "sip.identity.signing.algorithm", "unknown key");
        assertError(error(SIP + "  identity:\n    verification:\n      trust-anchors: id/ca.cert.pem\n"
                        + "      certificates:\n        - { x5u: \"https://peer.example/c.pem\", file: id/other.cert.pem }\n"), 7,
                "sip.identity.verification.certificates", "does not validate against the trust anchors");
        assertError(error(SIP + "  trusted-peers:\n    - { name: i, cidr: 10.9.0.0/16, verify-identity: true }\n"), 4,
                "sip.trusted-peers", "lists no certificates");
        assertError(error(SIP + "  identity:\n    verification:\n      max-age: 0s\n"), 6,
                "sip.identity.verification.max-age", "must be positive");
    }

    @Test
    void aWrongKeystorePasswordIsReportedWithoutAnySecret() throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, SIP + "  identity:\n    signing:\n      keystore: id/signer.p12\n      password-env: ID_P12\n"
                + "      x5u-url: \"https://gw.example/identity/cert.pem\"\n", StandardCharsets.UTF_8);
        ConfigException e = assertThrows(ConfigException.class,
                () -> new GatewayConfigLoader(Map.of("ID_P12", "wrong-" + PASSWORD)::get).load(file));
        assertEquals("sip.identity.signing.keystore", e.key(), e.getMessage());
        assertTrue(e.getMessage().contains("wrong password from ID_P12"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }

    private static void assertError(ConfigException e, int line, String key, String problem) {
        assertEquals(key, e.key(), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.problem().contains(problem), e.getMessage());
    }
}
