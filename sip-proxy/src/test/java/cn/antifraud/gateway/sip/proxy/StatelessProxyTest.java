package cn.antifraud.gateway.sip.proxy;

import static cn.antifraud.gateway.sip.support.ProxyHarness.CORE;
import static cn.antifraud.gateway.sip.support.ProxyHarness.POLICE;
import static cn.antifraud.gateway.sip.support.ProxyHarness.UAS;
import static cn.antifraud.gateway.sip.support.ProxyHarness.UNTRUSTED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.sip.FraudAction;
import cn.antifraud.gateway.sip.SpoofAction;
import cn.antifraud.gateway.sip.UnknownSourcePolicy;
import cn.antifraud.gateway.sip.support.Fixtures;
import cn.antifraud.gateway.sip.support.ProxyHarness;
import cn.antifraud.gateway.sip.support.ProxyHarness.Sent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StatelessProxyTest {
    private static final Pattern OUR_VIA = Pattern.compile("(?m)^Via: SIP/2\\.0/UDP 127\\.0\\.0\\.1:5060;branch=(z9hG4bK-af[0-9a-f]{16}-[0-9a-f]{8})\r\n");

    @Test
    void headersTheProxyDoesNotOwnLeaveByteForByte() {
        try (ProxyHarness h = new ProxyHarness()) {
            byte[] in = Fixtures.bytes("invite-transparency.sip");
            h.receive(in, CORE);
            Sent out = h.sent();
            assertEquals(UAS, out.to());
            String text = out.text();
            Matcher via = OUR_VIA.matcher(text);
            assertTrue(via.find(), text);
            String rest = text.substring(via.end());
            String rr = "Record-Route: <sip:127.0.0.1:5060;lr>\r\n";
            String original = new String(in, StandardCharsets.UTF_8);
            // The only differences: our Via on top, our Record-Route, Max-Forwards one less.
            String expected = original.substring(original.indexOf("\r\n") + 2)
                    .replace("Max-Forwards: 70\r\n", "Max-Forwards: 69\r\n");
            String start = text.substring(0, text.indexOf("\r\n") + 2);
            assertEquals(original.substring(0, original.indexOf("\r\n") + 2), start, "Request-URI with %20 untouched");
            String withoutRr = rest.replaceFirst(Pattern.quote(rr), "");
            assertNotEquals(rest, withoutRr, "Record-Route added");
            assertEquals(start + via.group(0) + expected, start + via.group(0) + withoutRr);
            assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), withoutRr.getBytes(StandardCharsets.UTF_8));
            assertNull(h.sent());
        }
    }

    @Test
    void policeCallFromTrustedTrunkGetsTheCard() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(Fixtures.bytes("invite-police.sip"), POLICE);
            Sent out = h.sent();
            List<String> lines = out.headerLines();
            assertTrue(lines.contains("From: \"国家反诈中心\" <sip:12381@10.1.1.5>;tag=p1"), lines.toString());
            assertTrue(lines.contains("P-Asserted-Identity: \"国家反诈中心\" <sip:+8612381@10.1.1.5;user=phone>, \"国家反诈中心\" <tel:+8612381>"), lines.toString());
            assertTrue(lines.contains("Call-Info: <https://carrier.example/info%20page>;purpose=info"), lines.toString());
            assertTrue(lines.contains("Call-Info: <http://127.0.0.1:8080/cards/+8612381>;purpose=jcard;"
                    + "call-reason=\"用户您好，该电话来自于国家反诈部门，请您接听！\""), lines.toString());
            assertEquals(2, lines.stream().filter(l -> l.startsWith("Call-Info:")).count(), "upstream jcard and icon removed");
            assertFalse(out.text().contains("evil.example"));
            assertTrue(lines.contains("X-Unknown: stays%20here"));
            assertTrue(lines.contains("Max-Forwards: 68"));
            assertEquals(1.0, h.counter("sip.branded.calls", "ingress", "police-trunk"));
        }
    }

    @Test
    void revokedWarningNumberIsNotBranded() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.cards.put(ProxyHarness.policeCard("+8612381", "国家反诈中心", "请接听").revoke());
            h.receive(Fixtures.bytes("invite-police.sip"), POLICE);
            List<String> lines = h.sent().headerLines();
            assertTrue(lines.contains("From: \"110\" <sip:12381@10.1.1.5>;tag=p1"), lines.toString());
            assertFalse(lines.stream().anyMatch(l -> l.contains("/cards/")));
            assertEquals(0.0, h.counter("sip.branded.calls", "ingress", "police-trunk"));
        }
    }

    @Test
    void fromIsUsedOnlyWhenThePeerAssertsIdentity() {
        try (ProxyHarness h = new ProxyHarness()) {
            byte[] noPai = Fixtures.replace("invite-police.sip",
                    "P-Asserted-Identity: <sip:+8612381@10.1.1.5;user=phone>, <tel:+8612381>\r\n", "");
            h.receive(noPai, POLICE);
            assertFalse(h.sent().text().contains("/cards/"), "police trunk is configured as not asserting From");
            byte[] fromCore = new String(noPai, StandardCharsets.UTF_8).replace("10.1.1.5:5060;branch", "127.0.0.1:5070;branch")
                    .getBytes(StandardCharsets.UTF_8);
            h.receive(fromCore, CORE);
            assertTrue(h.sent().text().contains("<http://127.0.0.1:8080/cards/+8612381>;purpose=jcard"), "core asserts From");
        }
    }

    @Test
    void untrustedSourceLosesIdentityAndBrandingAndIsCountedAsSpoof() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(Fixtures.bytes("invite-spoof.sip"), UNTRUSTED);
            Sent out = h.sent();
            assertEquals(UAS, out.to());
            List<String> lines = out.headerLines();
            assertFalse(lines.stream().anyMatch(l -> l.startsWith("P-Asserted-Identity")), lines.toString());
            assertFalse(lines.stream().anyMatch(l -> l.startsWith("Call-Info")), lines.toString());
            assertTrue(lines.contains("From: \"Police\" <sip:12381@192.0.2.7>;tag=s1"));
            assertTrue(lines.contains("Via: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK-spoof-1;rport=40123;received=192.0.2.7"), lines.toString());
            assertEquals(1.0, h.counter("sip.spoofs", "ingress", "untrusted"));
        }
    }

    @Test
    void spoofIsRejectedWith608WhenConfigured() {
        try (ProxyHarness h = new ProxyHarness(b -> b.spoofAction(SpoofAction.REJECT_608))) {
            h.receive(Fixtures.bytes("invite-spoof.sip"), UNTRUSTED);
            Sent out = h.sent();
            assertEquals("SIP/2.0 608 Rejected", out.startLine());
            assertEquals(UNTRUSTED, out.to(), "rport: the response goes to the source port");
            assertTrue(out.headerLines().stream().anyMatch(l -> l.matches("To: <sip:13800138000@127.0.0.1>;tag=[0-9a-f]{16}")));
            assertNull(h.sent());
        }
    }

    @Test
    void unknownSourceIsRejectedWith403WhenConfigured() {
        try (ProxyHarness h = new ProxyHarness(b -> b.unknownSourcePolicy(UnknownSourcePolicy.REJECT_403))) {
            h.receive(Fixtures.bytes("invite-spoof.sip"), UNTRUSTED);
            assertEquals("SIP/2.0 403 Forbidden (source not trusted)", h.sent().startLine());
        }
    }

    @Test
    void maxForwardsZeroIsAnswered483() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(Fixtures.replace("invite-police.sip", "Max-Forwards: 69", "Max-Forwards: 0"), POLICE);
            Sent out = h.sent();
            assertEquals("SIP/2.0 483 Too Many Hops", out.startLine());
            assertEquals(POLICE, out.to());
            assertTrue(out.headerLines().contains("Via: SIP/2.0/UDP 10.1.1.5:5060;branch=z9hG4bK-police-1"));
            assertTrue(out.headerLines().contains("CSeq: 1 INVITE"));
        }
    }

    @Test
    void requestThatComesBackUnchangedIsALoopButASpiralPasses() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(Fixtures.bytes("invite-police.sip"), POLICE);
            byte[] forwarded = h.sent().bytes();
            h.receive(forwarded, UAS);
            Sent loop = h.sent();
            assertEquals("SIP/2.0 482 Loop Detected", loop.startLine());
            assertEquals(new InetSocketAddress("127.0.0.1", 5060), loop.to(), "answered along the top Via: the proxy's own");

            byte[] spiral = new String(forwarded, StandardCharsets.UTF_8)
                    .replace("INVITE sip:13800138000@127.0.0.1:5060", "INVITE sip:13800138001@127.0.0.1:5060")
                    .getBytes(StandardCharsets.UTF_8);
            h.receive(spiral, UAS);
            assertTrue(h.sent().startLine().startsWith("INVITE sip:13800138001@"), "a changed Request-URI is a spiral");
        }
    }

    @Test
    void malformedRequestGets400NamingTheProblem() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(Fixtures.bytes("invite-missing-callid.sip"), POLICE);
            Sent out = h.sent();
            assertEquals("SIP/2.0 400 Bad Request (missing Call-ID)", out.startLine());
            assertEquals(POLICE, out.to());
            assertTrue(out.headerLines().contains("Via: SIP/2.0/UDP 10.1.1.5:5060;branch=z9hG4bK-bad-1"));
            assertTrue(out.headerLines().stream().anyMatch(l -> l.startsWith("To: <sip:13800138000@127.0.0.1>;tag=")));
            assertEquals(1.0, h.counter("sip.parse.errors", "kind", "request"));
        }
    }

    @Test
    void malformedResponseIsDroppedAndCounted() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(Fixtures.replace("response-180.sip", "CSeq: 1 INVITE\r\n", ""), UAS);
            assertNull(h.sent());
            assertEquals(1.0, h.counter("sip.parse.errors", "kind", "response"));
        }
    }

    @Test
    void optionsToTheProxyIsAnswered200() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(Fixtures.bytes("options-ping.sip"), POLICE);
            Sent out = h.sent();
            assertEquals("SIP/2.0 200 OK", out.startLine());
            assertEquals(POLICE, out.to());
            assertTrue(out.headerLines().contains("CSeq: 7 OPTIONS"));
            assertNull(h.sent());
        }
    }

    @Test
    void responseFollowsTheNextViaWithReceivedAndRport() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(Fixtures.bytes("response-180.sip"), UAS);
            Sent out = h.sent();
            assertEquals(new InetSocketAddress("192.0.2.70", 40123), out.to());
            String expected = Fixtures.text("response-180.sip").replace(
                    "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-afdeadbeefdeadbeef-00000000, ", "Via: ");
            assertEquals(expected, out.text());
        }
    }

    @Test
    void responseWhoseTopViaIsNotOursIsDropped() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.receive(Fixtures.replace("response-180.sip", "127.0.0.1:5060;branch", "127.0.0.9:5060;branch"), UAS);
            assertNull(h.sent());
            assertEquals(1.0, h.counter("sip.dropped", "reason", "response_not_ours"));
        }
    }

    @Test
    void retransmissionCancelAndNon2xxAckGetTheInvitesBranchAndNextHop() {
        try (ProxyHarness h = new ProxyHarness()) {
            byte[] invite = Fixtures.bytes("invite-police.sip");
            h.receive(invite, POLICE);
            Sent first = h.sent();
            h.receive(invite, POLICE);
            Sent retransmission = h.sent();
            assertArrayEquals(first.bytes(), retransmission.bytes(), "a retransmission is forwarded identically");
            String branch = branchOf(first);

            String cancel = "CANCEL sip:13800138000@127.0.0.1:5060 SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 10.1.1.5:5060;branch=z9hG4bK-police-1\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: \"110\" <sip:12381@10.1.1.5>;tag=p1\r\n"
                    + "To: <sip:13800138000@127.0.0.1>\r\n"
                    + "Call-ID: police-call-1@10.1.1.5\r\n"
                    + "CSeq: 1 CANCEL\r\n"
                    + "Content-Length: 0\r\n\r\n";
            h.receive(cancel.getBytes(StandardCharsets.UTF_8), POLICE);
            Sent forwardedCancel = h.sent();
            assertEquals(first.to(), forwardedCancel.to());
            assertEquals(branch, branchOf(forwardedCancel), "RFC 3261 §16.11: CANCEL gets the INVITE's branch");

            String ack = cancel.replace("CANCEL sip", "ACK sip").replace("CSeq: 1 CANCEL", "CSeq: 1 ACK")
                    .replace("To: <sip:13800138000@127.0.0.1>", "To: <sip:13800138000@127.0.0.1>;tag=uas486");
            h.receive(ack.getBytes(StandardCharsets.UTF_8), POLICE);
            Sent forwardedAck = h.sent();
            assertEquals(first.to(), forwardedAck.to());
            assertEquals(branch, branchOf(forwardedAck), "ACK of a non-2xx answer matches the INVITE transaction");
        }
    }

    @Test
    void ackFor2xxAndByeFollowTheRouteSetToTheRequestUri() {
        try (ProxyHarness h = new ProxyHarness(b -> b.defaultRoute(new cn.antifraud.gateway.sip.NextHop("127.0.0.1", 5090,
                cn.antifraud.gateway.sip.SipTransport.UDP)))) {
            h.receive(Fixtures.bytes("bye-in-dialog.sip"), POLICE);
            Sent bye = h.sent();
            assertEquals(UAS, bye.to(), "Request-URI, not the default route");
            assertFalse(bye.headerLines().stream().anyMatch(l -> l.startsWith("Route:")), "our Route removed");
            assertFalse(bye.headerLines().stream().anyMatch(l -> l.startsWith("Record-Route:")), "no Record-Route in-dialog");
            assertTrue(bye.headerLines().contains("Max-Forwards: 69"));

            byte[] ack = Fixtures.replace("bye-in-dialog.sip", "BYE sip", "ACK sip");
            ack = new String(ack, StandardCharsets.UTF_8).replace("CSeq: 2 BYE", "CSeq: 1 ACK")
                    .replace("z9hG4bK-bye-1", "z9hG4bK-ack2xx-1").getBytes(StandardCharsets.UTF_8);
            h.receive(ack, POLICE);
            Sent forwardedAck = h.sent();
            assertEquals(UAS, forwardedAck.to());
        }
    }

    @Test
    void callFromFraudNumberPublishesOneContactEventPerCall() {
        try (ProxyHarness h = new ProxyHarness()) {
            byte[] invite = fraudInvite();
            h.receive(invite, CORE);
            assertNotNull(h.sent(), "forwarded once the event is durable");
            h.receive(invite, CORE);
            assertNotNull(h.sent());
            assertEquals(2, h.events.publishes());
            List<ContactEvent> events = h.events.events();
            assertEquals(1, events.size(), "a retransmission is the same event");
            ContactEvent e = events.get(0);
            assertEquals(PhoneNumbers.parse("13800138000"), e.subscriber());
            assertEquals(PhoneNumbers.parse("+8613111112222"), e.fraudNumber());
            assertEquals(ContactEvent.Direction.FRAUD_TO_SUBSCRIBER, e.direction());
            assertEquals("fraud-1@127.0.0.1", e.callId());
            assertEquals("core", e.ingress());
            assertEquals(FraudType.FAKE_INVESTMENT, e.fraudType());
            assertEquals(2.0, h.counter("sip.fraud.contacts", "fraud_type", "fake_investment", "action", "warned"));
        }
    }

    @Test
    void aFraudNumberThisNodeHasNotCachedIsStillCaughtOnItsFirstCall() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.fraud.putUncached(new FraudNumber(PhoneNumbers.parse("13199998888"), FraudType.FAKE_LOAN, "case-9",
                    ProxyHarness.NOW.minusSeconds(60), null, false));
            byte[] invite = new String(fraudInvite(), StandardCharsets.UTF_8).replace("13111112222", "13199998888")
                    .getBytes(StandardCharsets.UTF_8);
            h.receive(invite, CORE);
            assertNull(h.sent(), "the INVITE waits for the registry's answer, off the event loop");
            assertEquals(1.0, h.counter("sip.fraud.checks.deferred"));

            assertTrue(h.fraud.answerPendingLookups() > 0);
            h.channel.runPendingTasks();
            assertNotNull(h.sent(), "forwarded once the answer came and the event is durable");
            ContactEvent e = h.events.events().get(0);
            assertEquals(PhoneNumbers.parse("13199998888"), e.fraudNumber());
            assertEquals(ContactEvent.Direction.FRAUD_TO_SUBSCRIBER, e.direction());
            assertEquals(1.0, h.counter("sip.fraud.contacts", "fraud_type", "fake_loan", "action", "warned"));
        }
    }

    @Test
    void callToFraudNumberIsAContactToo() {
        try (ProxyHarness h = new ProxyHarness()) {
            byte[] invite = Fixtures.replace("invite-transparency.sip", "INVITE sip:13800138000@", "INVITE sip:13111112222@");
            h.receive(invite, CORE);
            assertNotNull(h.sent());
            ContactEvent e = h.events.events().get(0);
            assertEquals(ContactEvent.Direction.SUBSCRIBER_TO_FRAUD, e.direction());
            assertEquals(PhoneNumbers.parse("13912345678"), e.subscriber());
        }
    }

    @Test
    void fraudTypeConfiguredToRejectGets608AndNoForward() {
        try (ProxyHarness h = new ProxyHarness(b -> b.fraudAction(FraudType.FAKE_INVESTMENT, FraudAction.REJECT_608))) {
            h.receive(fraudInvite(), CORE);
            Sent out = h.sent();
            assertEquals("SIP/2.0 608 Rejected", out.startLine());
            assertEquals(CORE, out.to());
            assertNull(h.sent());
            assertEquals(1.0, h.counter("sip.fraud.contacts", "fraud_type", "fake_investment", "action", "rejected"));
        }
    }

    @Test
    void failedPublishIsCountedAndTheCallStillForwarded() {
        try (ProxyHarness h = new ProxyHarness()) {
            h.events.failing(true);
            h.receive(fraudInvite(), CORE);
            assertEquals(UAS, h.sent().to());
            assertEquals(1.0, h.counter("sip.contact.publish.failures"));
        }
    }

    @Test
    void anAnsweredFraudCallOfAtLeastTheTier2DurationRaisesATier2EventAtItsBye() {
        try (ProxyHarness h = new ProxyHarness(b -> b.tier2MinDuration(Duration.ofSeconds(60)))) {
            h.receive(fraudInvite(), CORE);
            assertNotNull(h.sent());
            h.receive(fraudResponse(200, "OK"), UAS);
            assertNotNull(h.sent(), "the 200 goes back to the caller");
            h.clock.advance(Duration.ofSeconds(61));
            h.receive(fraudBye(), POLICE);
            assertNotNull(h.sent(), "the BYE is forwarded");

            List<ContactEvent> events = h.events.events();
            assertEquals(2, events.size(), "tier 1 at the INVITE, tier 2 at the BYE");
            ContactEvent tier2 = events.stream().filter(e -> e.tier() == 2).findFirst().orElseThrow();
            ContactEvent tier1 = events.stream().filter(e -> e.tier() == 1).findFirst().orElseThrow();
            assertEquals("fraud-1@127.0.0.1", tier2.callId());
            assertEquals(tier1.subscriber(), tier2.subscriber());
            assertEquals(tier1.fraudNumber(), tier2.fraudNumber());
            assertNotEquals(tier1.id(), tier2.id());
            assertEquals(ProxyHarness.NOW.plusSeconds(61), tier2.at());
            assertEquals(1.0, h.counter("sip.fraud.long_calls", "result", "published"));
        }
    }

    @Test
    void aShortOrUnansweredFraudCallStaysTier1() {
        try (ProxyHarness h = new ProxyHarness(b -> b.tier2MinDuration(Duration.ofSeconds(60)))) {
            h.receive(fraudInvite(), CORE);
            h.sent();
            h.receive(fraudResponse(200, "OK"), UAS);
            h.sent();
            h.clock.advance(Duration.ofSeconds(59));
            h.receive(fraudBye(), POLICE);
            assertNotNull(h.sent());
            assertEquals(1, h.events.events().size(), "answered for 59 s: tier 1 only");
        }
        try (ProxyHarness h = new ProxyHarness(b -> b.tier2MinDuration(Duration.ofSeconds(60)))) {
            h.receive(fraudInvite(), CORE);
            h.sent();
            h.receive(fraudResponse(486, "Busy Here"), UAS);
            h.sent();
            h.clock.advance(Duration.ofSeconds(600));
            h.receive(fraudBye(), POLICE);
            assertEquals(1, h.events.events().size(), "never answered: tier 1 only");
        }
    }

    private static byte[] fraudResponse(int status, String reason) {
        return new String(Fixtures.bytes("response-180.sip"), StandardCharsets.UTF_8)
                .replace("SIP/2.0 180 Ringing", "SIP/2.0 " + status + " " + reason)
                .replace("spoof-call-1@192.0.2.7", "fraud-1@127.0.0.1")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] fraudBye() {
        return new String(Fixtures.bytes("bye-in-dialog.sip"), StandardCharsets.UTF_8)
                .replace("police-call-1@10.1.1.5", "fraud-1@127.0.0.1")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] fraudInvite() {
        return new String(Fixtures.bytes("invite-transparency.sip"), StandardCharsets.UTF_8)
                .replace("<sip:13912345678@127.0.0.1:5070;user=phone>", "<sip:13111112222@127.0.0.1:5070;user=phone>")
                .replace("transparency-1@127.0.0.1", "fraud-1@127.0.0.1")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String branchOf(Sent sent) {
        Matcher m = OUR_VIA.matcher(sent.text());
        assertTrue(m.find(), sent.text());
        return m.group(1);
    }
}
