package cn.antifraud.gateway.sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SipMessageBuilderTest {
    private static final String BASE = "INVITE sip:13800138000@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1;rport, SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-2\r\n"
            + "Route: <sip:127.0.0.1:5060;lr>, <sip:10.9.9.9;lr>\r\n"
            + "From: sip:12381@10.0.0.1;tag=f1\r\n"
            + "To: <sip:13800138000@127.0.0.1>\r\n"
            + "Call-ID: b-1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Call-Info: <https://a.example/x>;purpose=info, <https://evil.example/j>;purpose=JCARD, <cid:c@d>;purpose=card\r\n"
            + "Content-Length: 4\r\n\r\nbody";

    private static SipMessage parse(String s) {
        ParseResult r = new SipMessageParser(64, 1024).parse(s.getBytes(StandardCharsets.UTF_8));
        assertTrue(r.isSuccess(), r.toString());
        return r.message();
    }

    private static String edit(java.util.function.UnaryOperator<SipMessageBuilder> op) {
        return new String(op.apply(SipMessageBuilder.from(parse(BASE))).build(), StandardCharsets.UTF_8);
    }

    @Test
    void unchangedMessageIsWrittenByteForByte() {
        assertEquals(BASE, edit(b -> b));
    }

    @Test
    void popViaAndPopRouteRemoveOneElementOfAMultiValueLine() {
        String out = edit(b -> b.popVia().popRoute());
        assertTrue(out.contains("\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-2\r\n"), out);
        assertTrue(out.contains("\r\nRoute: <sip:10.9.9.9;lr>\r\n"), out);
        assertTrue(out.endsWith("Content-Length: 4\r\n\r\nbody"));
    }

    @Test
    void receivedAndRportAreSetOnTheTopViaOnly() {
        String out = edit(b -> b.setTopViaReceived("192.0.2.1", 4242));
        assertTrue(out.contains("Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1;rport=4242;received=192.0.2.1, SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-2\r\n"), out);
    }

    @Test
    void displayNameIsAnEscapedUtf8QuotedStringAndAnAddrSpecGetsBrackets() {
        String out = edit(b -> b.setFromDisplayName("反\"诈\\中心"));
        assertTrue(out.contains("\r\nFrom: \"反\\\"诈\\\\中心\" <sip:12381@10.0.0.1>;tag=f1\r\n"), out);
        SipMessage reparsed = parse(out);
        assertEquals("f1", reparsed.from().tag());
        assertEquals("sip:12381@10.0.0.1", reparsed.from().uri());
    }

    @Test
    void richCallDataIsRemovedAndOtherCallInfoElementsKept() {
        String out = edit(b -> b.removeRichCallDataCallInfo().addCallInfo("<http://c/+8612381>;purpose=jcard;call-reason=\"请接听\""));
        assertTrue(out.contains("Call-Info: <https://a.example/x>;purpose=info, <cid:c@d>;purpose=card\r\n"
                + "Call-Info: <http://c/+8612381>;purpose=jcard;call-reason=\"请接听\"\r\n"), out);
        assertFalse(out.contains("evil.example"));
    }

    @Test
    void maxForwardsIsAddedAt70WhenAbsentAndRecordRouteAndViaGoOnTop() {
        String out = edit(b -> b.decrementMaxForwards().addRecordRoute("<sip:127.0.0.1:5060;lr>").pushVia("SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-p"));
        assertTrue(out.startsWith("INVITE sip:13800138000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-p\r\nVia: SIP/2.0/UDP 10.0.0.1"), out);
        assertTrue(out.contains("z9hG4bK-2\r\nRecord-Route: <sip:127.0.0.1:5060;lr>\r\n"), out);
        assertTrue(out.contains("\r\nMax-Forwards: 70\r\n"), out);
        assertEquals(70, parse(out).maxForwards());
    }

    @Test
    void quotedStringEscapingNeverLetsANameBreakALine() {
        assertEquals("a\\\"b\\\\c d", QuotedString.escape("a\"b\\c\r\nd").replace("  ", " "));
    }
}
