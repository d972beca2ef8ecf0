package cn.antifraud.gateway.sip.message;

/**
 * Escaping for SIP quoted strings (RFC 3261 §25.1 {@code quoted-string}): backslash and double
 * quote are escaped with a backslash. Control characters are replaced by spaces: CR and LF cannot
 * appear in a quoted string at all (a card name must never inject a header line), and although
 * {@code quoted-pair} could carry the other C0 controls, they have no business on a handset's screen
 * (an escape sequence such as ESC [31m, a bell). Tab, DEL and the C1 controls are replaced as well,
 * so everything written is {@code qdtext}.
 */
public final class QuotedString {

    private QuotedString() {
    }

    /** The content of a quoted string for {@code text} (without the surrounding quotes). */
    public static String escape(String text) {
        int clean = 0;
        while (clean < text.length() && !needsEscape(text.charAt(clean))) {
            clean++;
        }
        if (clean == text.length()) {
            // The usual card name or call reason: nothing to escape, no copy.
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (isControl(c)) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** C0 controls (tab included), DEL and the C1 controls. */
    public static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }

    private static boolean needsEscape(char c) {
        return c == '"' || c == '\\' || isControl(c);
    }
}
