package cn.antifraud.gateway.sip.identity;

import cn.antifraud.gateway.registry.WarningNumber;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Test signing material made once per test JVM by the project's own
 * {@code loadtest/identity/make-test-cert.sh} (openssl): a CA, a signer chained to it (PEM and
 * PKCS#12), and an unrelated key. Certificates are valid from the moment they are made, so tests
 * that check validity use the real current time.
 */
public final class TestIdentityMaterial {
    public static final URI X5U = URI.create("http://127.0.0.1:8080/identity/cert.pem");
    public static final String P12_PASSWORD = "test-only-p12";
    /** The jCard bytes tests pretend the card URL serves. */
    public static final CardDocument CARDS = card -> ("[\"vcard\",[[\"fn\",{},\"text\",\"" + card.cardName()
            + "\"],[\"note\",{},\"text\",\"" + card.callReason() + "\"]]]").getBytes(StandardCharsets.UTF_8);

    private static Path dir;

    private TestIdentityMaterial() {
    }

    public static synchronized Path dir() {
        if (dir == null) {
            try {
                Path d = Files.createTempDirectory("identity-test");
                Path script = Path.of("..", "loadtest", "identity", "make-test-cert.sh").toAbsolutePath().normalize();
                ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), d.toString()).redirectErrorStream(true);
                pb.environment().put("IDENTITY_P12_PASSWORD", P12_PASSWORD);
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("make-test-cert.sh failed: " + out);
                }
                dir = d;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return dir;
    }

    public static Path file(String name) {
        return dir().resolve(name);
    }

    public static SigningSource signerSource() {
        return SigningSource.pem(file("signer.key.pem"), file("signer.cert.pem"), X5U);
    }

    /** The wrong key: another P-256 key with its own self-signed certificate, published under the same URL. */
    public static SigningSource otherSource() {
        return SigningSource.pem(file("other.key.pem"), file("other.cert.pem"), X5U);
    }

    public static IdentitySigner signer(MeterRegistry meters) throws IdentityException {
        return new IdentitySigner(SigningMaterialHolder.load(signerSource()), CARDS, new IdentityMetrics(meters));
    }

    public static IdentitySigner otherSigner(MeterRegistry meters) throws IdentityException {
        return new IdentitySigner(SigningMaterialHolder.load(otherSource()), CARDS, new IdentityMetrics(meters));
    }

    /** What a verifier trusts: the test CA, and the signer's chain at {@link #X5U}. */
    public static KnownCertificates known() throws IdentityException {
        return KnownCertificates.load(file("ca.cert.pem"), java.util.Map.of(X5U, file("signer.cert.pem")));
    }

    public static byte[] jcard(WarningNumber card) {
        return CARDS.jcard(card);
    }
}
