package cn.antifraud.gateway.sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.sip.support.Fixtures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SipMessageParserTest {
    private final SipMessageParser parser = new SipMessageParser(64, 1024);

    @Test
    void compactFormsAreReadAsTheirLongNames() {
        SipMessage m = parser.parse(Fixtures.bytes("invite-transparency.sip")).message();
        assertEquals("INVITE", m.method());
        assertEquals("transparency-1@127.0.0.1", m.callId());
        assertEquals("a1", m.from().tag());
        assertNull(m.to().tag());
        assertEquals("127.0.0.1", m.topVia().host());
        assertEquals(5070, m.topVia().port());
        assertEquals("z9hG4bK-uac-1", m.topVia().branch());
        assertEquals(70, m.maxForwards());
        assertEquals(1, m.cseqNumber());
        assertEquals("<sip:uac%20one@127.0.0.1:5070;transport=udp>", m.firstValue(SipHeaderNames.CONTACT));
        assertEquals(3, m.values(SipHeaderNames.CALL_INFO).size(), "two lines, one with two elements");
        assertEquals(112, m.body().length);
    }

    @Test
    void headerNamesMatchInAnyCaseAndLookAlikesStayUnknown() {
        String text = "BYE sip:a@127.0.0.1 SIP/2.0\r\n"
                + "vIA: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-1\r\n"
                + "V: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-2\r\n"
                + "Via-Extra: not a via\r\n"
                + "FROM: <sip:b@10.0.0.1>;tag=f\r\n"
                + "t: <sip:a@127.0.0.1>;tag=t\r\n"
                + "CALL-id: c1\r\n"
                + "cseq: 2 BYE\r\n"
                + "RoUtE: <sip:127.0.0.1;lr>\r\n"
                + "Record_Route: <sip:not-record-route>\r\n"
                + "X-Custom: one\r\n"
                + "L: 0\r\n\r\n";
        SipMessage m = parser.parse(text.getBytes(StandardCharsets.ISO_8859_1)).message();
        assertEquals(2, m.vias().size());
        assertEquals("10.0.0.2", m.vias().get(1).host());
        assertEquals("c1", m.callId());
        assertEquals(2, m.cseqNumber());
        assertEquals("<sip:127.0.0.1;lr>", m.firstValue(SipHeaderNames.ROUTE));
        assertEquals("<sip:127.0.0.1;lr>", m.firstValue("route"), "a lookup by a non-constant spelling still matches");
        assertTrue(m.values(SipHeaderNames.RECORD_ROUTE).isEmpty());
        assertEquals("not a via", m.firstValue("via-extra"));
        assertEquals("one", m.firstValue("x-custom"));
        assertEquals(SipHeaderNames.VIA, m.headers().get(0).canonicalName());
        assertEquals("Via-Extra", m.headers().get(2).canonicalName());
    }

    @Test
    void lineEndFindsTheFirstLineFeedFromAnyOffset() {
        java.util.Random random = new java.util.Random(11);
        byte[] pool = {'\n', '\r', 'a', 0x0b, 0x09, (byte) 0x8a, (byte) 0xff, 0x00, 0x01};
        for (int n = 0; n < 20_000; n++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(4) == 0 ? pool[random.nextInt(pool.length)] : (byte) random.nextInt(256);
            }
            for (int from = 0; from <= b.length; from++) {
                int expected = -1;
                for (int i = from; i < b.length; i++) {
                    if (b[i] == '\n') {
                        expected = i;
                        break;
                    }
                }
                assertEquals(expected, SipMessageParser.lineEnd(b, from));
            }
        }
    }

    @Test
    void foldedHeaderIsOneFieldWithItsFoldingKept() {
        byte[] raw = Fixtures.bytes("invite-transparency.sip");
        SipMessage m = parser.parse(raw).message();
        HeaderField subject = m.headers().stream().filter(h -> h.is("Subject")).findFirst().orElseThrow();
        assertEquals("first part\r\n  of a folded subject", subject.value(raw));
        assertEquals("first part of a folded subject", m.firstValue("Subject"));
    }

    @Test
    void utf8DisplayNameSurvivesAsBytes() {
        SipMessage m = parser.parse(Fixtures.bytes("invite-transparency.sip")).message();
        String from = m.firstValue(SipHeaderNames.FROM);
        assertTrue(SipMessage.utf8(from).startsWith("\"张三 \\\"老张\\\"\" <sip:13912345678"), SipMessage.utf8(from));
    }

    @Test
    void bareLineFeedsAreTolerated() {
        byte[] lf = Fixtures.text("options-ping.sip").replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
        ParseResult r = parser.parse(lf);
        assertTrue(r.isSuccess(), r.toString());
        assertEquals("ping-1@10.1.1.5", r.message().callId());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "Call-ID: police-call-1@10.1.1.5|X-Gone: 1                                           | missing Call-ID",
        "Via: SIP/2.0/UDP 10.1.1.5:5060;branch=z9hG4bK-police-1|Via: SIP/2.0/UDP 10.1.1.5:99999 | malformed top Via",
        "CSeq: 1 INVITE|CSeq: 1 BYE                                                           | CSeq method does not match the request method",
        "CSeq: 1 INVITE|CSeq: x INVITE                                                        | malformed CSeq number",
        "CSeq: 1 INVITE|CSeq: 1INVITE                                                         | malformed CSeq",
        "CSeq: 1 INVITE|CSeq: 1 INVITE x                                                      | malformed CSeq",
        "CSeq: 1 INVITE|CSeq: 1 \u000b INVITE                                                | malformed CSeq",
        "CSeq: 1 INVITE|CSeq:                                                                 | malformed CSeq",
        "Max-Forwards: 69|Max-Forwards: 300                                                   | Max-Forwards above 255",
        "Content-Length: 0|Content-Length: 10                                                 | Content-Length 10 exceeds the 0 body bytes received",
        "INVITE sip:13800138000@127.0.0.1:5060 SIP/2.0|INVITE  sip:x@y SIP/2.0                | request line is not 'Method SP Request-URI SP SIP/2.0'",
        "INVITE sip:13800138000@127.0.0.1:5060 SIP/2.0|INVITE sip:x@y SIP/3.0                 | SIP version is not SIP/2.0",
        "X-Unknown: stays%20here|X Unknown: stays                                             | header line 11 has an invalid name",
        "X-Unknown: stays%20here|no colon here                                                | header line 11 has no colon",
        "From: \"110\" <sip:12381@10.1.1.5>;tag=p1|From: \"110 <sip:12381@10.1.1.5>;tag=p1    | malformed From",
    })
    void malformedRequestsFailWithAReasonNamingTheProblem(String from, String to, String reason) {
        byte[] bad = Fixtures.replace("invite-police.sip", from, to.strip().replace("\\r\\n", "\r\n"));
        ParseResult r = parser.parse(bad);
        assertFalse(r.isSuccess(), new String(bad, StandardCharsets.UTF_8));
        assertEquals(reason.strip(), r.failure().reason());
        assertEquals(400, r.failure().status());
        assertTrue(r.failure().request());
    }

    @Test
    void cseqNumberAndMethodMayBeSeparatedByAnyRunOfSpacesAndTabs() {
        SipMessage m = parser.parse(Fixtures.replace("invite-police.sip", "CSeq: 1 INVITE", "CSeq:  7 \t  INVITE \t")).message();
        assertEquals(7, m.cseqNumber());
        assertEquals("INVITE", m.cseqMethod());
    }

    @Test
    void limitsOnHeaderCountAndLineLengthAreEnforced() {
        SipMessageParser strict = new SipMessageParser(8, 1024);
        ParseResult many = strict.parse(Fixtures.bytes("invite-police.sip"));
        assertEquals("more than 8 header fields", many.failure().reason());
        SipMessageParser shortLines = new SipMessageParser(64, 80);
        assertEquals("header line 8 longer than 80 bytes", shortLines.parse(Fixtures.bytes("invite-police.sip")).failure().reason());
    }

    @Test
    void failureKeepsTheLinesNeededToAnswer() {
        ParseResult r = parser.parse(Fixtures.bytes("invite-missing-callid.sip"));
        assertEquals(4, r.failure().salvagedLines().size(), "Via, From, To, CSeq");
    }

    @Test
    void garbageIsAFailureNotAnException() {
        assertFalse(parser.parse(new byte[0]).isSuccess());
        assertFalse(parser.parse(new byte[] {0, 1, 2, '\n'}).isSuccess());
        assertFalse(parser.parse("SIP/2.0 99 Too Low\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).isSuccess());
        assertFalse(parser.parse("SIP/2.0 180 Ringing\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).failure().request());
    }
}
