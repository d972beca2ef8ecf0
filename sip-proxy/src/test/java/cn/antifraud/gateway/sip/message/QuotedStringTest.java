package cn.antifraud.gateway.sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class QuotedStringTest {

    @Test
    void escapesQuotesAndBackslashesAndBlanksLineBreaks() {
        assertEquals("a\\\"b\\\\c  d ", QuotedString.escape("a\"b\\c\r\nd\0"));
        assertEquals("国家反诈中心 \\\"", QuotedString.escape("国家反诈中心\n\""));
    }

    @Test
    void cleanTextIsReturnedAsIs() {
        String name = "国家反诈中心";
        assertSame(name, QuotedString.escape(name));
        assertEquals("", QuotedString.escape(""));
    }

    @Test
    void controlCharactersNeverReachTheWireRaw() {
        // Issue 10: the admin API took these in card names and call reasons.
        String escaped = QuotedString.escape("a\u0001b\u001b[31mc\u0007d\td\u007fe\u0085f");
        assertEquals("a b [31mc d d e f", escaped);
        for (char c : escaped.toCharArray()) {
            assertEquals(false, QuotedString.isControl(c), "control character " + (int) c);
        }
    }
}
