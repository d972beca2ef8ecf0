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
}
