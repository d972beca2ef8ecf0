package cn.antifraud.gateway.sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** RFC 3261 §20.10, §25.1 name-addr / addr-spec, as strict as issue 10 needs. */
class NameAddressTest {

    private static String latin1(String utf8) {
        return new String(utf8.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"Caller\" <sip:anon@127.0.0.1>;tag=m1   | sip:anon@127.0.0.1 | Caller        | m1",
            "Alice Smith <sips:alice@example.cn>     | sips:alice@example.cn | Alice Smith | ",
            "<tel:+8612381>                          | tel:+8612381 |               | ",
            "sip:bob@10.0.0.1;tag=b2                 | sip:bob@10.0.0.1 |               | b2",
            "\"a \\\"b\\\" \\\\c\" <sip:x@y>         | sip:x@y |  a \"b\" \\c          | ",
            "  \"x\"<sip:x@y> ;tag=t                 | sip:x@y | x | t",
    })
    void wellFormedElementsParse(String element, String uri, String display, String tag) {
        NameAddress a = NameAddress.parse(element.trim());
        assertNotNull(a, element);
        assertEquals(uri, a.uri());
        assertEquals(display == null ? "" : display.trim(), a.displayName());
        assertEquals(tag, a.tag());
        assertTrue(a.hasIdentityUri());
    }

    @Test
    void utf8DisplayNamesQuotedOrNotAreKept() {
        assertEquals(latin1("国家反诈中心"), NameAddress.parse(latin1("\"国家反诈中心\" <sip:96110@1.2.3.4>")).displayName());
        assertEquals(latin1("王 公平"), NameAddress.parse(latin1("王 公平 <sip:1@1.2.3.4>")).displayName());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"Caller\" sip:anon@127.0.0.1>;tag=m1", // issue 10: an addr-spec with a display name and a stray '>'
            "sip:13912345678@127.0.0.1>",
            "<sip:a@b",
            "<sip:a@b>>",
            "<sip:a@b> <sip:c@d>",
            "\"unterminated <sip:a@b>",
            "\"x\" sip:a@b",
            "Bad\"Name <sip:a@b>",
            "a;b <sip:a@b>",
            "<sip:a @b>",
            "sip:a@b?subject=x",
            "sip:a@b junk",
            "\"bell\u0007\" <sip:a@b>",
            "\"esc\\\u001b[31m\" <sip:a@b>",
            "<sip:a@b>;tag=\u0001",
            "<>",
            "<sip:>",
            "",
    })
    void malformedElementsAreRefused(String element) {
        assertNull(NameAddress.parse(element), element);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<13912345678@127.0.0.1>", "<http://evil.example/x>", "<tel:>", "<sip:@>", "<mailto:a@b>"})
    void identityHeadersNeedASipSipsOrTelUri(String element) {
        NameAddress a = NameAddress.parse(element);
        assertFalse(a != null && a.hasIdentityUri(), element);
    }
}
