package cn.antifraud.gateway.sip.identity;

import static cn.antifraud.gateway.sip.support.ProxyHarness.POLICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.sip.message.SipMessage;
import cn.antifraud.gateway.sip.message.SipMessageParser;
import cn.antifraud.gateway.sip.support.Fixtures;
import cn.antifraud.gateway.sip.support.ProxyHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A police INVITE branded by the proxy carries an Identity that this project's verifier and an
 * independent one ({@code loadtest/identity/verify_identity.py} on PyJWT and pyca/cryptography, run
 * with Debian's /usr/bin/python3) both accept; tampered ones the independent verifier rejects.
 */
class SignedBrandingTest {
    private static final String NAME = "国家反诈中心";
    private static final String REASON = "用户您好，该电话来自于国家反诈部门，请您接听！";
    private static final Path VERIFIER = Path.of("..", "loadtest", "identity", "verify_identity.py").toAbsolutePath().normalize();

    @Test
    void theBrandedCallCarriesOneIdentityThatVerifies() throws Exception {
        try (ProxyHarness h = signedHarness()) {
            h.receive(withUpstreamIdentities(), POLICE);
            List<String> lines = h.sent().headerLines();
            List<String> identities = lines.stream().filter(l -> l.startsWith("Identity:")).toList();
            assertEquals(2, identities.size(), lines.toString());
            assertTrue(identities.contains("Identity: upstream.shaken.sig;info=<https://police.example/c.pem>;alg=ES256;ppt=shaken"),
                    "an Identity of another type stays: " + identities);
            assertTrue(identities.stream().noneMatch(l -> l.contains("upstream.rcd")), "the upstream rcd PASSporT is replaced");
            SipMessage forwarded = parse(String.join("\r\n", forwardedMessage(lines)));
            assertEquals(VerificationResult.VERIFIED, new IdentityVerifier(TestIdentityMaterial.known(), Duration.ofSeconds(60))
                    .verify(forwarded, h.clock.instant()));
            assertEquals(1.0, signing.counter("sip.identity.signed").count());
        }
    }

    @Test
    void theIndependentVerifierAcceptsTheBrandedCallsIdentity(@TempDir Path tmp) throws Exception {
        try (ProxyHarness h = signedHarness()) {
            String identity = brandedIdentity(h);
            List<String> out = independent(identity, h.clock.instant(), NAME, REASON, jcard(h, tmp), "signer.cert.pem");
            assertEquals("ACCEPT", out.get(0), out.toString());
        }
    }

    /**
     * rcdi is a digest of the jCard's JCS (RFC 8785) canonical form, not of the bytes as served: the
     * same card written another way (indented, every non-ASCII character escaped) still matches.
     */
    @Test
    void theIndependentVerifierAcceptsTheJcardReserialisedAnotherWay(@TempDir Path tmp) throws Exception {
        try (ProxyHarness h = signedHarness()) {
            String identity = brandedIdentity(h);
            Path served = jcard(h, tmp);
            Path reserialised = tmp.resolve("card-indented.json");
            Process p = new ProcessBuilder("/usr/bin/python3", "-c",
                    "import json,sys; json.dump(json.load(open(sys.argv[1], encoding='utf-8')), open(sys.argv[2], 'w'), indent=2)",
                    served.toString(), reserialised.toString()).redirectErrorStream(true).start();
            String err = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, err);
            String text = Files.readString(reserialised);
            assertTrue(text.contains("\\u") && text.contains("\n  "), "written another way: " + text);
            List<String> out = independent(identity, h.clock.instant(), NAME, REASON, reserialised, "signer.cert.pem");
            assertEquals("ACCEPT", out.get(0), out.toString());
        }
    }

    @Test
    void theIndependentVerifierRejectsEachTampering(@TempDir Path tmp) throws Exception {
        try (ProxyHarness h = signedHarness()) {
            String identity = brandedIdentity(h);
            Instant now = h.clock.instant();
            Path jcard = jcard(h, tmp);
            assertRejected("rcd.nam", independent(identity, now, "公安局", REASON, jcard, "signer.cert.pem"));
            assertRejected("crn", independent(identity, now, NAME, "请立即转账", jcard, "signer.cert.pem"));
            assertRejected("iat", independent(identity, now.plusSeconds(61), NAME, REASON, jcard, "signer.cert.pem"));
            assertRejected("not issued by the CA", independent(identity, now, NAME, REASON, jcard, "other.cert.pem"));
            Path otherCard = Files.writeString(tmp.resolve("other.json"), "[\"vcard\",[]]");
            assertRejected("rcdi", independent(identity, now, NAME, REASON, otherCard, "signer.cert.pem"));
            // A signature by another key over the same claims, checked against the signer's certificate.
            String forged = TestIdentityMaterial.otherSigner(new SimpleMeterRegistry()).identity(h.cards
                    .registered(cn.antifraud.gateway.registry.PhoneNumbers.parse("+8612381")).orElseThrow(),
                    cn.antifraud.gateway.registry.PhoneNumbers.parse("+8612381"),
                    cn.antifraud.gateway.registry.PhoneNumbers.parse("13800138000"),
                    "http://127.0.0.1:8080/cards/+8612381", now);
            assertRejected("signature", independent(forged, now, NAME, REASON, jcard, "signer.cert.pem"));
        }
    }

    private static void assertRejected(String what, List<String> out) {
        assertTrue(out.get(0).startsWith("REJECT:") && out.get(0).contains(what), what + ": " + out);
    }

    private final SimpleMeterRegistry signing = new SimpleMeterRegistry();

    private ProxyHarness signedHarness() throws IdentityException {
        ProxyHarness h = new ProxyHarness(b -> { }, TestIdentityMaterial.signer(signing));
        // The test certificates are valid from when they were made: move the harness clock past that.
        h.clock.advance(Duration.between(h.clock.instant(), Instant.now().plusSeconds(120)));
        return h;
    }

    private static String brandedIdentity(ProxyHarness h) {
        h.receive(Fixtures.bytes("invite-police.sip"), POLICE);
        return h.sent().headerLines().stream().filter(l -> l.startsWith("Identity: "))
                .map(l -> l.substring("Identity: ".length())).findFirst().orElseThrow();
    }

    private static Path jcard(ProxyHarness h, Path tmp) throws Exception {
        WarningNumber card = h.cards.registered(cn.antifraud.gateway.registry.PhoneNumbers.parse("+8612381")).orElseThrow();
        return Files.write(tmp.resolve("card.json"), TestIdentityMaterial.jcard(card));
    }

    private static byte[] withUpstreamIdentities() {
        String invite = Fixtures.text("invite-police.sip").replace("Contact:",
                "Identity: upstream.rcd.sig;info=<https://evil.example/c.pem>;alg=ES256;ppt=rcd\r\n"
                        + "Identity: upstream.shaken.sig;info=<https://police.example/c.pem>;alg=ES256;ppt=shaken\r\n"
                        + "Contact:");
        return invite.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> forwardedMessage(List<String> headerLines) {
        List<String> all = new ArrayList<>();
        all.add("INVITE sip:13800138000@127.0.0.1:5060 SIP/2.0");
        all.addAll(headerLines);
        all.add("");
        all.add("");
        return all;
    }

    private static SipMessage parse(String text) {
        var r = new SipMessageParser(64, 8192).parse(text.getBytes(StandardCharsets.UTF_8));
        assertTrue(r.isSuccess(), text);
        return r.message();
    }

    private static List<String> independent(String identity, Instant now, String nam, String crn, Path jcard, String cert)
            throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", VERIFIER.toString(), "--identity", identity,
                "--cert", TestIdentityMaterial.file(cert).toString(), "--ca", TestIdentityMaterial.file("ca.cert.pem").toString(),
                "--orig", "8612381", "--dest", "8613800138000", "--nam", nam, "--crn", crn, "--jcard", jcard.toString(),
                "--now", Long.toString(now.getEpochSecond())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "verify_identity.py did not finish");
        List<String> lines = out.lines().toList();
        assertEquals(lines.get(0).equals("ACCEPT") ? 0 : 1, p.exitValue(), out);
        return lines;
    }
}
