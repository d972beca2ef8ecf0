package cn.antifraud.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.app.config.GatewayConfigLoader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, "cards only from us or from a verified signature", through the whole gateway as
 * bin/gateway starts it, on real sockets: a trusted peer configured {@code verify-identity: true}
 * (127.0.0.2) sends a police card (From display name, RFC 9796 {@code Call-Info ...;purpose=jcard;
 * call-reason=...}) for a number that is not ours, with an RFC 8224 Identity carrying an RFC 9795 rcd
 * PASSporT. The signer is the peer's: a key whose certificate, issued by a test CA made at test time
 * (loadtest/identity/make-test-cert.sh, openssl), is in the gateway's configured trust store
 * ({@code sip.identity.verification}); the PASSporT is signed here with nimbus-jose-jwt, not with the
 * gateway's signer. The UAS (a UDP socket) receives the card kept when the PASSporT verifies; with the
 * name changed after signing, an {@code iat} an hour old, or a key that is not in the trust store, it
 * receives the card stripped and the display name removed, and {@code sip.identity.verifications}
 * counts the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifiedCardThroughGatewayTest {
    private static final String TOKEN = "verified-card-test-token";
    private static final String PEER_X5U = "https://peer.example/cert.pem";
    private static final String CARD_URL = "https://peer.example/cards/+8675512345678";
    private static final String NAME = "深圳市公安局反诈中心";
    private static final String REASON = "深圳反诈民警来电，请您接听";
    /** Generous, against a hang only: the machine is shared and a Hazelcast start can be slow. */
    private static final int RECEIVE_TIMEOUT_MS = 60_000;

    private Gateway gateway;
    private DatagramSocket uas;
    private InetSocketAddress sipUdp;
    private InetSocketAddress sipTcp;
    private ECPrivateKey peerKey;
    private ECPrivateKey otherKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMinutes(5)).build();

    /** One gateway for the class (a Hazelcast member starts in seconds, not milliseconds). */
    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path identity = dir.resolve("identity");
        Process p = new ProcessBuilder("bash", Path.of("..", "loadtest", "identity", "make-test-cert.sh").toString(),
                identity.toString(), "2").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, "make-test-cert.sh: " + out);
        peerKey = pkcs8(identity.resolve("signer.key.pem"));
        otherKey = pkcs8(identity.resolve("other.key.pem"));

        uas = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        uas.setSoTimeout(RECEIVE_TIMEOUT_MS);
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        Path templates = Path.of("..", "config", "templates").toAbsolutePath().normalize();
        String yaml = "node: { id: verified-card-test, data-dir: \"" + dir.resolve("data") + "\" }\n"
                + "cluster: { name: verified-card-test-" + System.nanoTime() + ", bind: \"127.0.0.1:0\" }\n"
                + "sip:\n  listeners:\n    - { transport: udp, address: 127.0.0.1, port: 0 }\n"
                + "    - { transport: tcp, address: 127.0.0.1, port: 0 }\n"
                + "  trusted-peers:\n"
                + "    - { name: peer-net, cidr: 127.0.0.2/32, role: interconnect, asserts-identity: false, verify-identity: true }\n"
                + "  default-route: \"127.0.0.1:" + uas.getLocalPort() + ":udp\"\n"
                + "  unknown-sources: forward-untrusted\n"
                + "  identity:\n    verification:\n      max-age: 60s\n"
                + "      trust-anchors: \"" + identity.resolve("ca.cert.pem") + "\"\n"
                + "      certificates:\n        - { x5u: \"" + PEER_X5U + "\", file: \"" + identity.resolve("signer.cert.pem") + "\" }\n"
                + "smpp:\n  smscs:\n    - name: nowhere\n      host: 127.0.0.1\n      port: " + deadPort + "\n"
                + "      binds: [ { system-id: esme, password: pw } ]\n"
                + "  templates: \"" + templates + "\"\n"
                + "admin: { bind: \"127.0.0.1:0\" }\n";
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        gateway = Gateway.start(new GatewayConfigLoader(name -> null).load(file), TOKEN, Clock.systemUTC());
        sipUdp = gateway.sipAddresses().get(0);
        sipTcp = gateway.sipAddresses().get(1);
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (uas != null) {
            uas.close();
        }
    }

    private static ECPrivateKey pkcs8(Path pem) throws Exception {
        String b64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    /** An RFC 8224 Identity value: the peer's rcd PASSporT for this call, signed with {@code key}. */
    private static String identity(ECPrivateKey key, String x5u, String nam, Instant iat) throws Exception {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("passport"))
                .customParam("ppt", "rcd").x509CertURL(URI.create(x5u)).build();
        Map<String, Object> claims = Map.of(
                "orig", Map.of("tn", "8675512345678"),
                "dest", Map.of("tn", List.of("8613800138000")),
                "iat", iat.getEpochSecond(),
                "rcd", Map.of("nam", nam, "jcl", CARD_URL),
                "crn", REASON);
        JWSObject jws = new JWSObject(header, new Payload(claims));
        jws.sign(new ECDSASigner(key));
        return jws.serialize() + ";info=<" + x5u + ">;alg=ES256;ppt=rcd";
    }

    private static String invite(String transport, String callId, String shownName, String identity) {
        return "INVITE sip:13800138000@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " 127.0.0.2:5990;branch=z9hG4bK-" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"" + shownName + "\" <sip:+8675512345678@127.0.0.2>;tag=f-" + callId + "\r\n"
                + "To: <sip:13800138000@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "@127.0.0.2\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "P-Asserted-Identity: <sip:+8675512345678@127.0.0.2>\r\n"
                + "Call-Info: <" + CARD_URL + ">;purpose=jcard;call-reason=\"" + REASON + "\"\r\n"
                + "Identity: " + identity + "\r\n"
                + "Contact: <sip:peer@127.0.0.2:5990>\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** What the UAS receives for an INVITE the peer sends over UDP from 127.0.0.2. */
    private String throughUdp(String message) throws IOException {
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.2"))) {
            byte[] b = message.getBytes(StandardCharsets.UTF_8);
            peer.send(new DatagramPacket(b, b.length, sipUdp));
        }
        return receive();
    }

    /** What the UAS receives for an INVITE the peer sends over TCP from 127.0.0.2. */
    private String throughTcp(String message) throws IOException {
        try (Socket peer = new Socket(sipTcp.getAddress(), sipTcp.getPort(), InetAddress.getByName("127.0.0.2"), 0)) {
            peer.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
            return receive();
        }
    }

    private String receive() throws IOException {
        byte[] buf = new byte[65_536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        uas.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    private static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line;
            }
        }
        return null;
    }

    private static void assertCardKept(String received, String callId) {
        assertEquals("From: \"" + NAME + "\" <sip:+8675512345678@127.0.0.2>;tag=f-" + callId, header(received, "From"), received);
        assertEquals("Call-Info: <" + CARD_URL + ">;purpose=jcard;call-reason=\"" + REASON + "\"", header(received, "Call-Info"), received);
    }

    private static void assertCardStripped(String received, String callId) {
        assertEquals("From: <sip:+8675512345678@127.0.0.2>;tag=f-" + callId, header(received, "From"), "display name removed: " + received);
        assertFalse(received.contains("purpose=jcard") || received.contains("call-reason") || received.contains(CARD_URL),
                "card stripped: " + received);
    }

    /** {@code sip.identity.verifications{ingress="peer-net", result}} as GET /metrics shows it. */
    private double verifications(String result) throws Exception {
        HttpResponse<String> m = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics"))
                .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, m.statusCode(), m.body());
        Matcher v = Pattern.compile("^sip_identity_verifications_total\\{ingress=\"peer-net\",result=\"" + result
                + "\",?} ([0-9.E]+)$", Pattern.MULTILINE).matcher(m.body());
        return v.find() ? Double.parseDouble(v.group(1)) : 0.0;
    }

    @Test
    void aVerifiedCardIsKeptOverUdpAndTcp() throws Exception {
        double before = verifications("verified");
        String udp = throughUdp(invite("UDP", "ok-u", NAME, identity(peerKey, PEER_X5U, NAME, Instant.now())));
        assertCardKept(udp, "ok-u");
        assertTrue(udp.contains("\r\nIdentity: "), "the PASSporT travels on with the card: " + udp);
        String tcp = throughTcp(invite("TCP", "ok-t", NAME, identity(peerKey, PEER_X5U, NAME, Instant.now())));
        assertCardKept(tcp, "ok-t");
        assertEquals(before + 2, verifications("verified"));
    }

    @Test
    void aNameChangedAfterSigningLosesTheCard() throws Exception {
        double before = verifications("name_mismatch");
        String signedFor = identity(peerKey, PEER_X5U, "深圳市公安局", Instant.now());
        assertCardStripped(throughUdp(invite("UDP", "name-u", NAME, signedFor)), "name-u");
        assertCardStripped(throughTcp(invite("TCP", "name-t", NAME, signedFor)), "name-t");
        assertEquals(before + 2, verifications("name_mismatch"));
    }

    @Test
    void anExpiredIatLosesTheCard() throws Exception {
        double before = verifications("stale");
        String old = identity(peerKey, PEER_X5U, NAME, Instant.now().minusSeconds(3600));
        assertCardStripped(throughUdp(invite("UDP", "old-u", NAME, old)), "old-u");
        assertEquals(before + 1, verifications("stale"));
    }

    @Test
    void aKeyNotInTheTrustStoreLosesTheCard() throws Exception {
        double unknown = verifications("unknown_certificate");
        double badSignature = verifications("bad_signature");
        // Its own certificate URL, which the gateway was not configured with.
        String ownUrl = identity(otherKey, "https://impostor.example/cert.pem", NAME, Instant.now());
        assertCardStripped(throughUdp(invite("UDP", "key-u1", NAME, ownUrl)), "key-u1");
        // The trusted peer's certificate URL, with a signature the certificate's key did not make.
        String claimed = identity(otherKey, PEER_X5U, NAME, Instant.now());
        assertCardStripped(throughUdp(invite("UDP", "key-u2", NAME, claimed)), "key-u2");
        assertEquals(unknown + 1, verifications("unknown_certificate"));
        assertEquals(badSignature + 1, verifications("bad_signature"));
    }
}
