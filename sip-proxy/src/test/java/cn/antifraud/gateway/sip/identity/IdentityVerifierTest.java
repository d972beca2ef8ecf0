package cn.antifraud.gateway.sip.identity;

import static cn.antifraud.gateway.sip.identity.TestIdentityMaterial.X5U;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.sip.Cidr;
import cn.antifraud.gateway.sip.message.SipMessage;
import cn.antifraud.gateway.sip.message.SipMessageParser;
import com.nimbusds.jose.util.Base64URL;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Signs with {@link IdentitySigner}, verifies with {@link IdentityVerifier}, and tampers in between. */
class IdentityVerifierTest {
    /** After the test certificates were made (they are valid from then on): two minutes from now. */
    private static final Instant NOW = Instant.now().plusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
    private static final String NAME = "国家反诈中心";
    private static final String REASON = "用户您好，该电话来自于国家反诈部门，请您接听！";
    private static final String CARD_URL = "http://127.0.0.1:8080/cards/+8612381";
    private static final WarningNumber CARD = new WarningNumber(PhoneNumbers.parse("+8612381"), NAME, REASON, "公安部", null,
            NOW.minus(Duration.ofDays(1)), null, "auditor", NOW.minus(Duration.ofDays(1)), false);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SipMessageParser parser = new SipMessageParser(64, 8192);

    @Test
    void aSignedCardVerifies() throws Exception {
        assertEquals(VerificationResult.VERIFIED, verify(invite(identity(NOW), NAME, REASON)));
    }

    @Test
    void theIdentityValueHasRfc8224SyntaxAndTheClaimsAreCanonicalJson() throws Exception {
        String identity = identity(NOW);
        assertTrue(identity.endsWith(";info=<" + X5U + ">;alg=ES256;ppt=rcd"), identity);
        String[] jws = identity.substring(0, identity.indexOf(';')).split("\\.");
        assertEquals(3, jws.length);
        assertEquals("{\"alg\":\"ES256\",\"ppt\":\"rcd\",\"typ\":\"passport\",\"x5u\":\"" + X5U + "\"}",
                new Base64URL(jws[0]).decodeToString(), "RFC 8225 §6 header, canonical (§9)");
        String digest = JCardDigests.integrity(TestIdentityMaterial.jcard(CARD));
        assertEquals("{\"crn\":\"" + REASON + "\",\"dest\":{\"tn\":[\"8613800138000\"]},\"iat\":" + NOW.getEpochSecond()
                + ",\"orig\":{\"tn\":\"8612381\"},\"rcd\":{\"jcl\":\"" + CARD_URL + "\",\"nam\":\"" + NAME + "\"},"
                + "\"rcdi\":{\"/jcl\":\"" + digest + "\"}}", new Base64URL(jws[1]).decodeToString(),
                "claims in lexicographic order, no white space (RFC 8225 §9)");
        assertEquals(64, new Base64URL(jws[2]).decode().length, "ES256 signature is R||S (RFC 7518 §3.4)");
    }

    @Test
    void theJCardDigestIsComputedOncePerCardVersion() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        CardDocument counting = c -> {
            reads.incrementAndGet();
            return TestIdentityMaterial.jcard(c);
        };
        IdentitySigner signer = new IdentitySigner(SigningMaterialHolder.load(TestIdentityMaterial.signerSource()), counting,
                new IdentityMetrics(meters));
        signer.identity(CARD, CARD.number(), PhoneNumbers.parse("13800138000"), CARD_URL, NOW);
        signer.identity(CARD, CARD.number(), PhoneNumbers.parse("13900139000"), CARD_URL, NOW);
        assertEquals(1, reads.get());
        WarningNumber renamed = new WarningNumber(CARD.number(), "公安部反诈中心", REASON, "公安部", null,
                CARD.validFrom(), null, "auditor", CARD.verifiedAt(), false);
        signer.identity(renamed, CARD.number(), PhoneNumbers.parse("13800138000"), CARD_URL, NOW);
        assertEquals(2, reads.get(), "a changed card is digested again");
    }

    @Test
    void aChangedDisplayNameIsRefused() throws Exception {
        assertEquals(VerificationResult.NAME_MISMATCH, verify(invite(identity(NOW), "国家反诈中心 ", REASON)));
        assertEquals(VerificationResult.NAME_MISMATCH, verify(invite(identity(NOW), "公安局", REASON)));
    }

    @Test
    void aChangedCallReasonIsRefused() throws Exception {
        assertEquals(VerificationResult.REASON_MISMATCH, verify(invite(identity(NOW), NAME, "请立即转账")));
    }

    @Test
    void anOldOrFutureIatIsRefused() throws Exception {
        assertEquals(VerificationResult.STALE, verify(invite(identity(NOW.minusSeconds(61)), NAME, REASON)));
        assertEquals(VerificationResult.STALE, verify(invite(identity(NOW.plusSeconds(61)), NAME, REASON)));
        assertEquals(VerificationResult.VERIFIED, verify(invite(identity(NOW.minusSeconds(59)), NAME, REASON)));
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() throws Exception {
        String forged = TestIdentityMaterial.otherSigner(meters).identity(CARD, CARD.number(),
                PhoneNumbers.parse("13800138000"), CARD_URL, NOW);
        assertEquals(VerificationResult.BAD_SIGNATURE, verify(invite(forged, NAME, REASON)));
    }

    @Test
    void claimsEditedAfterSigningAreRefused() throws Exception {
        String identity = identity(NOW);
        String[] parts = identity.split("\\.", 3);
        String claims = new Base64URL(parts[1]).decodeToString().replace(NAME, "公安局");
        String tampered = parts[0] + "." + Base64URL.encode(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertEquals(VerificationResult.BAD_SIGNATURE, verify(invite(tampered, "公安局", REASON)));
    }

    @Test
    void anUnknownCertificateUrlIsRefusedWithoutFetchingIt() throws Exception {
        String identity = identity(NOW).replace(X5U.toString(), "http://203.0.113.9/cert.pem");
        // The JWS header still names the configured URL; point the header elsewhere through a signer with another x5u.
        IdentitySigner elsewhere = new IdentitySigner(SigningMaterialHolder.load(SigningSource.pem(
                TestIdentityMaterial.file("signer.key.pem"), TestIdentityMaterial.file("signer.cert.pem"),
                java.net.URI.create("http://203.0.113.9/cert.pem"))), TestIdentityMaterial.CARDS, new IdentityMetrics(meters));
        String other = elsewhere.identity(CARD, CARD.number(), PhoneNumbers.parse("13800138000"), CARD_URL, NOW);
        assertEquals(VerificationResult.UNKNOWN_CERTIFICATE, verify(invite(other, NAME, REASON)));
        assertEquals(VerificationResult.VERIFIED, verify(invite(identity, NAME, REASON)),
                "the info parameter is not what names the certificate: the signed x5u is");
    }

    @Test
    void origAndDestMustBeTheCallsNumbers() throws Exception {
        String identity = identity(NOW);
        assertEquals(VerificationResult.ORIG_MISMATCH, verify(invite(identity, NAME, REASON)
                .replace("sip:+8612381@", "sip:+8696110@")));
        assertEquals(VerificationResult.DEST_MISMATCH, verify(invite(identity, NAME, REASON)
                .replace("sip:13800138000@", "sip:13900139000@")));
    }

    @Test
    void theCardUrlMustBeTheSignedOne() throws Exception {
        assertEquals(VerificationResult.CARD_URL_MISMATCH, verify(invite(identity(NOW), NAME, REASON)
                .replace("<" + CARD_URL + ">", "<http://evil.example/card>")));
    }

    @Test
    void missingOrMalformedIdentityIsRefused() throws Exception {
        String invite = invite(identity(NOW), NAME, REASON);
        assertEquals(VerificationResult.NO_RCD_PASSPORT, verify(invite.replaceFirst("\r\nIdentity: [^\r]*", "")));
        assertEquals(VerificationResult.NO_RCD_PASSPORT, verify(invite.replace("ppt=rcd", "ppt=shaken")));
        assertEquals(VerificationResult.MALFORMED, verify(invite.replaceFirst("\r\nIdentity: [^;]*;", "\r\nIdentity: e30.e30.AAAA;")));
        assertEquals(VerificationResult.MALFORMED, verify(invite.replaceFirst("\r\nIdentity: [^;]*;", "\r\nIdentity: not-a-jws;")));
    }

    @Test
    void aChainThatDoesNotLeadToTheTrustAnchorsIsRefusedWhenLoaded() {
        IdentityException e = assertThrows(IdentityException.class, () -> KnownCertificates.load(
                TestIdentityMaterial.file("ca.cert.pem"), Map.of(X5U, TestIdentityMaterial.file("other.cert.pem"))));
        assertTrue(e.getMessage().contains("does not validate against the trust anchors"), e.getMessage());
    }

    @Test
    void theGateChecksOnlyVerifyingPeersAndCountsEachOutcome() throws Exception {
        VerifiedCardGate gate = new VerifiedCardGate(new IdentityVerifier(TestIdentityMaterial.known(), Duration.ofSeconds(60)),
                List.of(new VerifiedCardGate.VerifyingPeer("interconnect", Cidr.parse("10.9.0.0/16"))),
                new IdentityMetrics(meters), Clock.fixed(NOW, ZoneOffset.UTC));
        SipMessage good = parse(invite(identity(NOW), NAME, REASON));
        SipMessage renamed = parse(invite(identity(NOW), "公安局", REASON));
        assertTrue(gate.cardVerified(good, InetAddress.getByName("10.9.1.1")));
        assertFalse(gate.cardVerified(renamed, InetAddress.getByName("10.9.1.1")));
        assertFalse(gate.cardVerified(good, InetAddress.getByName("192.0.2.1")), "a peer without verify-identity keeps no card");
        assertEquals(1.0, meters.counter("sip.identity.verifications", "ingress", "interconnect", "result", "verified").count());
        assertEquals(1.0, meters.counter("sip.identity.verifications", "ingress", "interconnect", "result", "name_mismatch").count());
    }

    @Test
    void mutatedIdentityValuesAreRefusedWithoutAnException() throws Exception {
        String identity = identity(NOW);
        String jws = identity.substring(0, identity.indexOf(';'));
        byte[][] original = decodedParts(jws);
        IdentityVerifier verifier = new IdentityVerifier(TestIdentityMaterial.known(), Duration.ofSeconds(60));
        java.util.Random random = new java.util.Random(8224);
        String alphabet = "AZaz09-_.;=<>\" \u0000é";
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            StringBuilder m = new StringBuilder(identity);
            for (int k = 0; k <= random.nextInt(3); k++) {
                int at = random.nextInt(m.length());
                switch (random.nextInt(3)) {
                    case 0 -> m.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> m.deleteCharAt(at);
                    default -> m.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String mutated = m.toString().replace("\u0000", "");
            var parsed = parser.parse(invite(mutated, NAME, REASON).getBytes(StandardCharsets.UTF_8));
            if (!parsed.isSuccess()) {
                continue;
            }
            VerificationResult r = verifier.verify(parsed.message(), NOW);
            if (r.verified()) {
                // Only an edit that changes no decoded byte (spare bits of the last base64url character,
                // or the parameters after the JWS) may still verify.
                String mutatedJws = mutated.contains(";") ? mutated.substring(0, mutated.indexOf(';')).trim() : mutated;
                byte[][] parts = decodedParts(mutatedJws);
                assertTrue(parts != null && Arrays.deepEquals(original, parts), "a changed PASSporT verified: " + mutated);
            } else {
                refused++;
            }
        }
        assertTrue(refused > 1000, "most mutations are refused: " + refused);
    }

    private static byte[][] decodedParts(String jws) {
        String[] p = jws.split("\\.", -1);
        if (p.length != 3) {
            return null;
        }
        try {
            return new byte[][] {new Base64URL(p[0]).decode(), new Base64URL(p[1]).decode(), new Base64URL(p[2]).decode()};
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String identity(Instant iat) throws Exception {
        return TestIdentityMaterial.signer(meters).identity(CARD, CARD.number(), PhoneNumbers.parse("13800138000"), CARD_URL, iat);
    }

    private VerificationResult verify(String invite) throws Exception {
        return new IdentityVerifier(TestIdentityMaterial.known(), Duration.ofSeconds(60)).verify(parse(invite), NOW);
    }

    private SipMessage parse(String invite) {
        var r = parser.parse(invite.getBytes(StandardCharsets.UTF_8));
        assertTrue(r.isSuccess(), invite);
        return r.message();
    }

    /** A branded INVITE as the next network receives it. */
    static String invite(String identity, String displayName, String reason) {
        return "INVITE sip:13800138000@10.9.1.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.9.1.1:5060;branch=z9hG4bK-id-1\r\n"
                + "Max-Forwards: 69\r\n"
                + "From: \"" + displayName + "\" <sip:12381@10.9.1.1>;tag=a1\r\n"
                + "To: <sip:13800138000@10.9.1.1>\r\n"
                + "Call-ID: identity-1@10.9.1.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "P-Asserted-Identity: \"" + displayName + "\" <sip:+8612381@10.9.1.1;user=phone>\r\n"
                + "Call-Info: <" + CARD_URL + ">;purpose=jcard;call-reason=\"" + reason + "\"\r\n"
                + "Identity: " + identity + "\r\n"
                + "Content-Length: 0\r\n\r\n";
    }
}
