package cn.antifraud.gateway.sip.identity;

import static cn.antifraud.gateway.sip.identity.TestIdentityMaterial.X5U;
import static cn.antifraud.gateway.sip.identity.TestIdentityMaterial.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningSourceTest {

    @Test
    void pemKeyAndChainLoadAndTheFingerprintIsTheOneOpensslPrints() throws Exception {
        SigningMaterial m = TestIdentityMaterial.signerSource().load();
        assertEquals(2, m.chain().size(), "leaf and CA");
        assertEquals(openssl("x509", "-in", file("signer.cert.pem").toString(), "-noout", "-fingerprint", "-sha256")
                .trim().replaceFirst(".*=", ""), m.fingerprint());
        assertFalse(m.toString().contains("PRIVATE"), m.toString());
        assertTrue(m.chainPem().startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertEquals(m.chain(), PemFiles.certificates(write(m.chainPem())), "the served PEM parses back to the chain");
    }

    @Test
    void pkcs12TakesItsPasswordFromTheNamedEnvironmentVariable() throws Exception {
        SigningSource p12 = SigningSource.pkcs12(file("signer.p12"), "IDENTITY_P12_PASSWORD", X5U);
        SigningMaterial m = p12.load(Map.of("IDENTITY_P12_PASSWORD", TestIdentityMaterial.P12_PASSWORD)::get);
        assertEquals(TestIdentityMaterial.signerSource().load().fingerprint(), m.fingerprint());
    }

    @Test
    void aWrongOrMissingPasswordIsReportedWithoutThePassword() {
        SigningSource p12 = SigningSource.pkcs12(file("signer.p12"), "IDENTITY_P12_PASSWORD", X5U);
        IdentityException wrong = assertThrows(IdentityException.class,
                () -> p12.load(Map.of("IDENTITY_P12_PASSWORD", "hunter2-wrong")::get));
        assertTrue(wrong.getMessage().contains("wrong password from IDENTITY_P12_PASSWORD"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("hunter2"), wrong.getMessage());
        IdentityException missing = assertThrows(IdentityException.class, () -> p12.load(Map.<String, String>of()::get));
        assertTrue(missing.getMessage().contains("IDENTITY_P12_PASSWORD is not set"), missing.getMessage());
    }

    @Test
    void aKeyThatIsNotTheCertificatesKeyIsRefused() {
        SigningSource mixed = SigningSource.pem(file("other.key.pem"), file("signer.cert.pem"), X5U);
        IdentityException e = assertThrows(IdentityException.class, mixed::load);
        assertTrue(e.getMessage().contains("is not the signing key's certificate"), e.getMessage());
    }

    @Test
    void aSec1KeyIsRefusedWithTheCommandThatConvertsIt(@TempDir Path tmp) throws Exception {
        Path sec1 = tmp.resolve("sec1.pem");
        openssl("ec", "-in", file("signer.key.pem").toString(), "-out", sec1.toString());
        assertTrue(Files.readString(sec1).contains("BEGIN EC PRIVATE KEY"));
        IdentityException e = assertThrows(IdentityException.class,
                () -> SigningSource.pem(sec1, file("signer.cert.pem"), X5U).load());
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
    }

    @Test
    void anRsaKeyIsRefusedBecauseEs256NeedsP256(@TempDir Path tmp) throws Exception {
        Path key = tmp.resolve("rsa.pem");
        Path cert = tmp.resolve("rsa.cert.pem");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "1", "-subj", "/CN=rsa");
        IdentityException e = assertThrows(IdentityException.class, () -> SigningSource.pem(key, cert, X5U).load());
        assertTrue(e.getMessage().contains("not a PKCS#8 EC private key") || e.getMessage().contains("P-256"), e.getMessage());
    }

    @Test
    void reloadSwapsToTheNewFilesAndAFailedReloadKeepsTheOldKey(@TempDir Path tmp) throws Exception {
        Path key = tmp.resolve("key.pem");
        Path cert = tmp.resolve("cert.pem");
        Files.copy(file("signer.key.pem"), key);
        Files.copy(file("signer.cert.pem"), cert);
        SigningMaterialHolder holder = SigningMaterialHolder.load(SigningSource.pem(key, cert, X5U));
        String first = holder.material().fingerprint();

        Files.copy(file("other.key.pem"), key, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(file("other.cert.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
        SigningMaterial second = holder.reload();
        assertNotEquals(first, second.fingerprint());
        assertEquals(second.fingerprint(), holder.material().fingerprint());

        Files.writeString(cert, "not a certificate");
        assertThrows(IdentityException.class, holder::reload);
        assertEquals(second.fingerprint(), holder.material().fingerprint(), "a failed reload keeps the key in use");
    }

    private static Path write(String text) throws Exception {
        Path p = Files.createTempFile("chain", ".pem");
        Files.writeString(p, text, StandardCharsets.US_ASCII);
        return p;
    }

    static String openssl(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return out;
    }
}
