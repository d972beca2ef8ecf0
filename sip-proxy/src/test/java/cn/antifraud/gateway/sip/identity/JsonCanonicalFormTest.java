package cn.antifraud.gateway.sip.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** RFC 8785 canonical form and the RFC 9795 rcdi digest strings built on it. */
class JsonCanonicalFormTest {

    private static String canonical(String json) throws IdentityException {
        return new String(JsonCanonicalForm.of(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void membersAreSortedByUtf16CodeUnitsAsRfc8785Section323Shows() throws Exception {
        // The member names of RFC 8785 §3.2.3's sorting example, given out of order.
        String in = "{\"\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
                + "\"1\":\"One\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        assertEquals("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
                + "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
                canonical(in));
    }

    @Test
    void whiteSpaceGoesAndOnlyQuotesBackslashesAndControlsAreEscaped() throws Exception {
        assertEquals("[\"vcard\",[[\"fn\",{},\"text\",\"国家反诈中心\"],[\"note\",{\"b\":1,\"type\":\"work\"},\"text\",\"a\\\"b\\\\c\\n\\u001f/\u2028\"]]]",
                canonical("[ \"vcard\" , [ [\"fn\", {}, \"text\", \"\\u56fd\\u5bb6\\u53cd\\u8bc8\\u4e2d\\u5fc3\"],\n"
                        + "  [\"note\", {\"type\": \"work\", \"b\": 1.0}, \"text\", \"a\\\"b\\\\c\\n\\u001F\\/\\u2028\"] ] ]"));
    }

    @Test
    void literalsAndIntegersAreWrittenAsEcmascriptDoes() throws Exception {
        assertEquals("{\"a\":true,\"b\":false,\"c\":null,\"d\":-7,\"e\":0,\"f\":100}",
                canonical("{\"f\":1E2,\"e\":-0,\"d\":-7,\"c\":null,\"b\":false,\"a\":true}"));
    }

    @Test
    void fractionsAndNonJsonAreRefusedWithAReason() {
        assertTrue(assertThrows(IdentityException.class, () -> canonical("{\"x\":1.5}")).getMessage().contains("1.5"));
        assertThrows(IdentityException.class, () -> canonical("[\"vcard\","));
    }

    @Test
    void aJcardReserialisedWithOtherSpacingAndOrderHasTheSameDigest() throws Exception {
        String ours = "[\"vcard\",[[\"tel\",{\"type\":\"work\"},\"uri\",\"tel:+8612381\"]]]";
        String theirs = "[\n  \"vcard\",\n  [ [ \"tel\", { \"type\" : \"work\" }, \"uri\", \"tel:+8612381\" ] ]\n]\n";
        String digest = JCardDigests.integrity(ours.getBytes(StandardCharsets.UTF_8));
        assertEquals(digest, JCardDigests.integrity(theirs.getBytes(StandardCharsets.UTF_8)));
        assertTrue(digest.startsWith("sha256-") && digest.endsWith("="), digest);
        assertTrue(IntegrityDigest.matches(digest, ours.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aDigestIsReadInBase64OrBase64urlPaddedOrNotButMustBeOfTheContent() {
        byte[] content = "abc".getBytes(StandardCharsets.US_ASCII);
        // SHA-256("abc") = ba7816bf...15ad: its base64 has '+' and '/', so the two alphabets differ.
        String std = IntegrityDigest.sha256(content);
        assertEquals("sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=", std);
        String url = "sha256-" + Base64.getUrlEncoder().withoutPadding().encodeToString(Base64.getDecoder().decode(std.substring(7)));
        assertTrue(IntegrityDigest.matches(std, content));
        assertTrue(IntegrityDigest.matches(url, content));
        assertTrue(IntegrityDigest.matches(std.substring(0, std.length() - 1), content));
        assertFalse(IntegrityDigest.matches(std, "abd".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(IntegrityDigest.matches("md5-kAFQmDzST7DWlj99KOF/cg==", content));
        assertFalse(IntegrityDigest.matches("sha256-not base64!", content));
        assertFalse(IntegrityDigest.matches(null, content));
    }
}
