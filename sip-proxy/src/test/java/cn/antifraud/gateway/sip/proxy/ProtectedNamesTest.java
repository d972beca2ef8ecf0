package cn.antifraud.gateway.sip.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.sip.SipProxyConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtectedNamesTest {

    private static char[] wire(String displayName) {
        return DisplayNameNormaliser.normaliseUtf8(new String(displayName.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1), Integer.MAX_VALUE);
    }

    @Test
    void normaliserFoldsWidthSpacingVariantsAndLookAlikeDigits() {
        assertEquals("国家反诈中心", new String(wire("國家 反\u200B詐·中心")));
        assertEquals("96110", new String(wire("９６１１０")));
        assertEquals("96110", new String(wire("⑨⑥①①⓪")));
        assertEquals("96110", new String(wire("九六幺幺〇")));
        assertEquals("96110", new String(wire("96IlO")));
        assertEquals("a11ce", new String(wire("ＡＬＩＣＥ")));
        assertEquals(DisplayNameNormaliser.normalise("国家反诈中心"), new String(wire("国家反诈中心")));
    }

    @Test
    void malformedUtf8IsDroppedNotThrown() {
        assertEquals("ab", new String(DisplayNameNormaliser.normaliseUtf8("a\u00ff\u00c3b\u00e4\u00b8", 10)));
    }

    @Test
    void theLongestProtectedNameWinsAndSaysWhereItCameFrom() {
        ProtectedNames names = new ProtectedNames(SipProxyConfig.DEFAULT_PROTECTED_TERMS);
        assertEquals(new ProtectedNames.Match("反诈", false), names.find(wire("国家反诈中心")));
        names.registeredNames(List.of("国家反诈中心", "反诈", "x"));
        assertEquals(new ProtectedNames.Match("国家反诈中心", true), names.find(wire("国家反诈中心")));
        assertEquals(new ProtectedNames.Match("反诈", false), names.find(wire("反诈")), "a configured term stays configured");
        assertNull(names.find(wire("x")), "names shorter than two letters are not protected");
    }

    @Test
    void digitNamesOnlyMatchWholeDigitRuns() {
        ProtectedNames names = new ProtectedNames(List.of("96110"));
        assertNotNull(names.find(wire("反诈96110")));
        assertNotNull(names.find(wire("96110热线")));
        assertNull(names.find(wire("13896110123")));
        assertNull(names.find(wire("961101")));
    }

    @Test
    void manyRegisteredNamesAreFoundAmongEachOther() {
        ProtectedNames names = new ProtectedNames(List.of());
        List<String> registered = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            registered.add("第" + i + "派出所");
        }
        assertEquals(5000, names.registeredNames(registered));
        assertEquals("第4321派出所", names.find(wire("某某第4321派出所")).name());
        assertNull(names.find(wire("第5001派出所")));
        assertNull(names.find(wire("第4321派")));
    }

    @Test
    void termsThatWouldMatchEverythingAreRefused() {
        assertTrue(ProtectedNames.termProblem("·") != null);
        assertTrue(ProtectedNames.termProblem("警") != null);
        assertTrue(ProtectedNames.termProblem(" ") != null);
        assertNull(ProtectedNames.termProblem("警方"));
        assertThrows(IllegalArgumentException.class, () -> SipProxyConfig.builder()
                .listener(cn.antifraud.gateway.sip.SipListener.of(cn.antifraud.gateway.sip.SipTransport.UDP, "127.0.0.1", 0))
                .protectedTerms(List.of("反诈", "-")).build());
        assertFalse(SipProxyConfig.DEFAULT_PROTECTED_TERMS.contains("110"));
    }

    @Test
    void onlyTheFirstCharactersAHandsetCouldShowAreSearched() {
        ProtectedNames names = new ProtectedNames(SipProxyConfig.DEFAULT_PROTECTED_TERMS);
        String pad = "某".repeat(ProtectedNames.MAX_SCANNED - 2);
        assertNotNull(names.find(wire(pad + "反诈")));
        assertNull(names.find(wire(pad + "某反诈")));
        String digitsPad = "某".repeat(ProtectedNames.MAX_SCANNED - 5);
        assertNotNull(names.find(wire(digitsPad + "961101")), "a digit past the limit does not make a longer number");
    }

    @Test
    void invisiblePaddingDoesNotPushANameOutOfTheSearch() {
        ProtectedNames names = new ProtectedNames(SipProxyConfig.DEFAULT_PROTECTED_TERMS);
        String padded = "\u200B".repeat(3_000) + " ".repeat(1_000) + "国家反诈中心";
        char[] folded = DisplayNameNormaliser.normaliseUtf8(
                new String(padded.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1), ProtectedNames.MAX_SCANNED);
        assertEquals("国家反诈中心", new String(folded));
        assertNotNull(names.find(folded));
    }
}
