package cn.antifraud.gateway.sip.proxy;

import static cn.antifraud.gateway.sip.support.ProxyHarness.POLICE;
import static cn.antifraud.gateway.sip.support.ProxyHarness.UAS;
import static cn.antifraud.gateway.sip.support.ProxyHarness.UNTRUSTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.sip.NextHop;
import cn.antifraud.gateway.sip.SipTransport;
import cn.antifraud.gateway.sip.SpoofAction;
import cn.antifraud.gateway.sip.message.SipMessageParser;
import cn.antifraud.gateway.sip.support.Fixtures;
import cn.antifraud.gateway.sip.support.ProxyHarness;
import cn.antifraud.gateway.sip.support.ProxyHarness.Sent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 10, the SIP trust boundary: each finding of its first list, reproduced, plus the display-name
 * shield's evasions and the names it must leave alone.
 */
class TrustBoundaryTest {
    private static final String IMPOSTOR = "invite-impostor-display-name.sip";
    private static final String IMPOSTOR_FROM = "From: \"国家反诈中心\" <sip:96110@192.0.2.7>;tag=i1";

    private static byte[] impostor(String displayName) {
        return Fixtures.replace(IMPOSTOR, "\"国家反诈中心\"", "\"" + displayName + "\"");
    }

    private static List<String> forwarded(ProxyHarness h) {
        Sent out = h.sent();
        assertEquals(UAS, out.to(), out.text());
        return out.headerLines();
    }

    @Test
    void untrustedImpostorDisplayNameNeverReachesTheCallee() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(Fixtures.bytes(IMPOSTOR), UNTRUSTED);
            List<String> lines = forwarded(h);
            assertTrue(lines.contains("From: <sip:96110@192.0.2.7>;tag=i1"), lines.toString());
            assertEquals(1.0, h.counter("sip.display_name.shielded", "ingress", "untrusted", "reason", "protected_term"));
        }
    }

    @Test
    void numberAsNameReplacesTheImpostorNameWithItsOwnNumber() {
        try (ProxyHarness h = new ProxyHarness(b -> b.spoofAction(SpoofAction.NUMBER_AS_NAME))) {
            h.receive(Fixtures.bytes(IMPOSTOR), UNTRUSTED);
            assertTrue(forwarded(h).contains("From: \"96110\" <sip:96110@192.0.2.7>;tag=i1"));
        }
    }

    @Test
    void reject608AnswersTheImpostorInsteadOfForwarding() {
        try (ProxyHarness h = new ProxyHarness(b -> b.spoofAction(SpoofAction.REJECT_608))) {
            h.receive(Fixtures.bytes(IMPOSTOR), UNTRUSTED);
            Sent out = h.sent();
            assertEquals("SIP/2.0 608 Rejected", out.startLine());
            assertEquals(UNTRUSTED, out.to());
            assertNull(h.sent());
        }
    }

    @Test
    void anInDialogInviteIsNeverRejectedOnlyStripped() {
        try (ProxyHarness h = new ProxyHarness(b -> b.spoofAction(SpoofAction.REJECT_608))) {
            byte[] reInvite = new String(Fixtures.bytes(IMPOSTOR), StandardCharsets.UTF_8)
                    .replace("To: <sip:13800138000@127.0.0.1>", "To: <sip:13800138000@127.0.0.1>;tag=uas1")
                    .replace("INVITE sip:13800138000@127.0.0.1:5060", "INVITE sip:13800138000@127.0.0.1:5080")
                    .getBytes(StandardCharsets.UTF_8);
            h.receive(reInvite, UNTRUSTED);
            assertTrue(forwarded(h).contains("From: <sip:96110@192.0.2.7>;tag=i1"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"国家 反\u200B诈 中心", "國家反詐中心", "９６１１０", "⑨⑥①①⓪", "九六一一零", "9611O",
            "反-诈", "Ｆ公 安Ｆ", "市警察局", "ＰＯＬＩＣＥ 12381", "公\u00AD检\u2060法", "反\uFE0F诈"})
    void evasionsOfProtectedTermsAreCaught(String displayName) {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(impostor(displayName), UNTRUSTED);
            List<String> lines = forwarded(h);
            assertTrue(lines.contains("From: <sip:96110@192.0.2.7>;tag=i1"), displayName + " -> " + lines);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"王公平", "安全", "张三", "13896110123", "Alice", "李警官", "平安", "反对", "12381000", "法律顾问"})
    void ordinaryNamesAreLeftAlone(String displayName) {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(impostor(displayName), UNTRUSTED);
            assertTrue(forwarded(h).contains("From: \"" + displayName + "\" <sip:96110@192.0.2.7>;tag=i1"), displayName);
            assertEquals(0.0, h.counter("sip.display_name.shielded", "ingress", "untrusted", "reason", "protected_term"));
        }
    }

    @Test
    void registeredCardNamesAndAgenciesAreProtectedOnceRefreshed() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(impostor("平安深圳守护"), UNTRUSTED);
            assertTrue(forwarded(h).contains("From: \"平安深圳守护\" <sip:96110@192.0.2.7>;tag=i1"), "not registered yet");
            h.protectedNames.registeredNames(List.of("平安深圳守护", "深圳市公安局"));
            h.receive(impostor("平安 深圳 守護"), UNTRUSTED);
            assertTrue(forwarded(h).contains("From: <sip:96110@192.0.2.7>;tag=i1"));
            assertEquals(1.0, h.counter("sip.display_name.shielded", "ingress", "untrusted", "reason", "registered_name"));
        }
    }

    @Test
    void trustedPeerCannotPutACardLikeNameOnACallWeDidNotBrand() {
        try (ProxyHarness h = new ProxyHarness()) {
            byte[] in = Fixtures.replace("invite-trusted-forged-jcard.sip",
                    "From: <sip:13912345678@10.1.1.5>;tag=t1\r\nTo: <sip:13800138000@127.0.0.1>\r\n",
                    "From: \"深圳公安\" <sip:13912345678@10.1.1.5>;tag=t1\r\nTo: <sip:13800138000@127.0.0.1>\r\n");
            in = new String(in, StandardCharsets.UTF_8).replace("P-Asserted-Identity: <sip:",
                    "P-Asserted-Identity: \"反诈中心\" <sip:").getBytes(StandardCharsets.UTF_8);
            h.receive(in, POLICE);
            List<String> lines = forwarded(h);
            assertTrue(lines.contains("From: <sip:13912345678@10.1.1.5>;tag=t1"), lines.toString());
            assertTrue(lines.contains("P-Asserted-Identity: <sip:+8613912345678@10.1.1.5;user=phone>"), lines.toString());
            assertEquals(1.0, h.counter("sip.display_name.shielded", "ingress", "police-trunk", "reason", "protected_term"));
        }
    }

    @Test
    void trustedNonWarningNumberLosesItsForgedJcardAndCallReason() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(Fixtures.bytes("invite-trusted-forged-jcard.sip"), POLICE);
            Sent out = h.sent();
            List<String> lines = out.headerLines();
            assertFalse(out.text().contains("evil.example"), out.text());
            assertFalse(out.text().contains("call-reason"), out.text());
            assertTrue(lines.contains("Call-Info: <https://carrier.example/info>;purpose=info"), lines.toString());
        }
    }

    @Test
    void aCardCoveredByAVerifiedSignatureIsKept() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.cardsVerified = true;
            h.receive(Fixtures.bytes("invite-trusted-forged-jcard.sip"), POLICE);
            assertTrue(h.sent().text().contains("<http://evil.example/card>;purpose=jcard"));
            h.receive(Fixtures.bytes(IMPOSTOR), UNTRUSTED);
            assertTrue(forwarded(h).contains(IMPOSTOR_FROM));
        }
    }

    @Test
    void malformedFromIsAnswered400NamingItNeverBranded() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(Fixtures.bytes("invite-malformed-from.sip"), POLICE);
            Sent out = h.sent();
            assertEquals("SIP/2.0 400 Bad Request (malformed From)", out.startLine());
            assertEquals(POLICE, out.to());
            assertNull(h.sent());
            assertEquals(0.0, h.counter("sip.branded.calls", "ingress", "police-trunk"));
        }
    }

    @Test
    void malformedToIsAnswered400NamingIt() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(Fixtures.replace("invite-police.sip", "To: <sip:13800138000@127.0.0.1>", "To: <13800138000@127.0.0.1>"), POLICE);
            assertEquals("SIP/2.0 400 Bad Request (malformed To)", h.sent().startLine());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sip:13912345678@127.0.0.1>", "<13912345678@127.0.0.1>", "\"x\" sip:+8612381@10.1.1.5",
            "<http://evil.example/+8612381>", "<sip:+8612381@10.1.1.5>>", "\"a\u0007b\" <sip:+8612381@10.1.1.5>"})
    void malformedAssertedIdentityIsAnswered400NamingItNeverBranded(String pai) {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(Fixtures.replace("invite-police.sip", "<sip:+8612381@10.1.1.5;user=phone>, <tel:+8612381>", pai), POLICE);
            Sent out = h.sent();
            assertEquals("SIP/2.0 400 Bad Request (malformed P-Asserted-Identity)", out.startLine(), pai);
            assertNull(h.sent());
            assertEquals(0.0, h.counter("sip.branded.calls", "ingress", "police-trunk"));
        }
    }

    @Test
    void anAckIsNeverAnsweredEvenWhenItsCseqMethodDoesNotMatch() {
        try (ProxyHarness h = new ProxyHarness()) {
            byte[] ack = Fixtures.replace("bye-in-dialog.sip", "BYE sip:", "ACK sip:");
            h.receive(ack, POLICE);
            assertNull(h.sent(), "CSeq says BYE: malformed, but still an ACK");
            assertEquals(1.0, h.counter("sip.dropped", "reason", "malformed_ack"));
            byte[] badPai = new String(Fixtures.replace("bye-in-dialog.sip", "BYE", "ACK"), StandardCharsets.UTF_8)
                    .replace("Content-Length: 0", "P-Asserted-Identity: sip:1@2>\r\nContent-Length: 0")
                    .getBytes(StandardCharsets.UTF_8);
            h.receive(badPai, POLICE);
            assertNull(h.sent());
            assertEquals(1.0, h.counter("sip.dropped", "reason", "ack_malformed_identity"));
        }
    }

    /**
     * A fixture without its Call-Info lines (which the proxy would remove, shrinking it), padded to
     * {@code size} bytes with X-Pad headers under the line limit.
     */
    private static byte[] padded(String fixture, int size) {
        String text = Fixtures.text(fixture).replaceAll("Call-Info: [^\r]*\r\n", "");
        StringBuilder pad = new StringBuilder();
        int missing = size - text.length();
        while (missing > 0) {
            int len = Math.min(8000, Math.max(1, missing - 9));
            String line = "X-Pad: " + "p".repeat(len) + "\r\n";
            pad.append(line);
            missing -= line.length();
        }
        return text.replace("Content-Length: 0", pad + "Content-Length: 0").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRequestTooLargeForUdpAfterOurViaIsAnswered513WithoutATcpHop() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(padded("invite-trusted-forged-jcard.sip", 65_450), POLICE);
            Sent out = h.sent();
            assertEquals("SIP/2.0 513 Message Too Large (for UDP to the next hop)", out.startLine());
            assertEquals(POLICE, out.to());
            assertEquals(1.0, h.counter("sip.udp.too_large", "outcome", "rejected_513"));
        }
    }

    @Test
    void aRequestTooLargeForUdpGoesOverTcpWhenTheNextHopTakesTcp() {
        try (ProxyHarness h = new ProxyHarness(b -> b.route("99", new NextHop("127.0.0.1", 5081, SipTransport.TCP)))) {
            SipMessageParser parser = new SipMessageParser(256, 8192);
            ProxyAction a = h.proxy.process(parser.parse(padded("invite-trusted-forged-jcard.sip", 65_450)),
                    new InboundSource(SipTransport.UDP, POLICE));
            ProxyAction.Send send = assertInstanceOf(ProxyAction.Send.class, a);
            assertEquals(SipTransport.TCP, send.transport());
            assertEquals(5081, send.destination().getPort(), "the port of the configured TCP next hop");
            String text = new String(send.bytes(), StandardCharsets.UTF_8);
            assertTrue(text.contains("\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch="), "our Via names the transport used");
            assertTrue(text.contains("Record-Route: <sip:127.0.0.1:5060;transport=tcp;lr>\r\nRecord-Route: <sip:127.0.0.1:5060;lr>"),
                    "RFC 5658 double Record-Route: in by UDP, out by TCP");
            assertEquals(1.0, h.counter("sip.udp.too_large", "outcome", "tcp"));

            ProxyAction small = h.proxy.process(parser.parse(Fixtures.bytes("invite-trusted-forged-jcard.sip")),
                    new InboundSource(SipTransport.UDP, POLICE));
            assertEquals(SipTransport.UDP, assertInstanceOf(ProxyAction.Send.class, small).transport(), "what fits stays on UDP");
        }
    }

    @Test
    void justBelowTheDatagramLimitStaysOnUdp() {
        try (ProxyHarness h = new ProxyHarness()) {
            // Our Via (about 80 bytes) and Record-Route (about 40) fit below 65,507.
            h.receive(padded("invite-trusted-forged-jcard.sip", 65_300), POLICE);
            assertTrue(h.sent().startLine().startsWith("INVITE "));
        }
    }
}
