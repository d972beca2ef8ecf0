package cn.antifraud.gateway.sip.message;

/**
 * Escaping for SIP quoted strings (RFC 3261 §25.1 {@code quoted-string}): backslash and double
 * quote are escaped with a backslash; CR and LF cannot appear in a quoted string and are replaced
 * by spaces so a card name can never inject a header line.
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
            } else if (c == '\r' || c == '\n' || c == 0) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(char c) {
        return c == '"' || c == '\\' || c == '\r' || c == '\n' || c == 0;
    }
}
