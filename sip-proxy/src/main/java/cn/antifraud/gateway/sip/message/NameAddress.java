package cn.antifraud.gateway.sip.message;

/**
 * A name-addr or addr-spec header element as in From, To, P-Asserted-Identity (RFC 3261 §20.20,
 * §25.1; RFC 3325 §9.1): where the URI is, and where the display name ends, so the display name can
 * be replaced without touching the rest.
 *
 * @param uri           the URI text (between the angle brackets when present)
 * @param uriStart      offset of the part to keep when the display name is replaced: the {@code <}
 *                      of a name-addr, or the start of an addr-spec
 * @param bracketed     whether the URI is in angle brackets
 * @param tag           the {@code tag} parameter or null
 */
public record NameAddress(String uri, int uriStart, boolean bracketed, String tag) {

    /** Parses one element; null when there is no URI in it. */
    public static NameAddress parse(String element) {
        int i = 0;
        int n = element.length();
        boolean quoted = false;
        int open = -1;
        for (; i < n; i++) {
            char c = element.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                open = i;
                break;
            }
        }
        if (open >= 0) {
            int close = element.indexOf('>', open);
            if (close < 0) {
                return null;
            }
            String uri = element.substring(open + 1, close).trim();
            return new NameAddress(uri, open, true, HeaderValues.param(element, close + 1, "tag"));
        }
        if (quoted) {
            return null;
        }
        int start = 0;
        while (start < n && HeaderValues.isLws(element.charAt(start))) {
            start++;
        }
        // RFC 3261 §20.10: in an addr-spec without brackets, parameters belong to the header, not the URI.
        int semi = element.indexOf(';', start);
        String uri = (semi >= 0 ? element.substring(start, semi) : element.substring(start)).trim();
        if (uri.isEmpty() || uri.indexOf(':') < 0) {
            return null;
        }
        String tag = semi >= 0 ? HeaderValues.param(element, semi, "tag") : null;
        return new NameAddress(uri, start, false, tag);
    }
}
