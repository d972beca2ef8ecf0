package cn.antifraud.gateway.sip.message;

/**
 * A name-addr or addr-spec header element as in From, To, P-Asserted-Identity (RFC 3261 §20.20,
 * §25.1; RFC 3325 §9.1): where the URI is, and where the display name ends, so the display name can
 * be replaced without touching the rest.
 *
 * <p>Parsing is strict about structure, because a proxy that rewrites a display name must know
 * exactly where the name ends and the URI begins: an element such as {@code "Caller" sip:a@b>} (an
 * addr-spec with a display name, a stray bracket) is refused, never guessed at. Accepted:
 * <ul>
 *   <li>{@code [display-name] LAQUOT URI RAQUOT *(SEMI generic-param)}, where display-name is one
 *       quoted-string or words of token characters separated by white space (UTF-8 letters are
 *       tolerated in unquoted words: they cannot be mistaken for a delimiter);</li>
 *   <li>{@code addr-spec *(SEMI generic-param)} without white space, quotes, brackets, commas or
 *       {@code ?} in the URI (RFC 3261 §20.10: such a URI needs the brackets).</li>
 * </ul>
 * Control characters (below 0x20 except tab, and 0x7F) are refused anywhere, escaped or not: a
 * display name must never carry them on to a handset.
 *
 * @param uri           the URI text (between the angle brackets when present)
 * @param uriStart      offset of the part to keep when the display name is replaced: the {@code <}
 *                      of a name-addr, or the start of an addr-spec
 * @param bracketed     whether the URI is in angle brackets
 * @param tag           the {@code tag} parameter or null
 * @param displayName   the display name as the user sees it (quotes removed, quoted-pairs resolved),
 *                      "" when there is none; ISO-8859-1 over the raw bytes like the rest of the element
 */
public record NameAddress(String uri, int uriStart, boolean bracketed, String tag, String displayName) {

    /** Parses one element; null when it is not a well-formed name-addr or addr-spec. */
    public static NameAddress parse(String element) {
        int n = element.length();
        for (int i = 0; i < n; i++) {
            char c = element.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return null;
            }
        }
        int i = skipLws(element, 0);
        if (i < n && element.charAt(i) == '"') {
            int close = closingQuote(element, i);
            if (close < 0) {
                return null;
            }
            int open = skipLws(element, close + 1);
            if (open >= n || element.charAt(open) != '<') {
                return null;
            }
            return bracketed(element, open, unquote(element, i + 1, close));
        }
        int open = element.indexOf('<', i);
        if (open >= 0) {
            for (int k = i; k < open; k++) {
                if (!isWordChar(element.charAt(k)) && !HeaderValues.isLws(element.charAt(k))) {
                    return null;
                }
            }
            return bracketed(element, open, element.substring(i, trimEnd(element, i, open)));
        }
        return addrSpec(element, i);
    }

    /**
     * True when the URI is one an identity header may carry (RFC 3261 §20.20, RFC 3325 §9.1): a sip or
     * sips URI with a usable host, or a tel URI with a number.
     */
    public boolean hasIdentityUri() {
        SipUri u = SipUri.parse(uri);
        return u != null && (!u.scheme().equals("tel") || !u.user().isEmpty());
    }

    private static NameAddress bracketed(String element, int open, String displayName) {
        int close = element.indexOf('>', open);
        if (close < 0) {
            return null;
        }
        String uri = element.substring(open + 1, close);
        if (!isUriText(uri, false)) {
            return null;
        }
        int after = skipLws(element, close + 1);
        if (after < element.length() && (element.charAt(after) != ';' || !paramsClean(element, after))) {
            return null;
        }
        return new NameAddress(uri, open, true, HeaderValues.param(element, close + 1, "tag"), displayName);
    }

    private static NameAddress addrSpec(String element, int start) {
        // RFC 3261 §20.10: in an addr-spec without brackets, parameters belong to the header, not the URI.
        int semi = element.indexOf(';', start);
        int uriEnd = trimEnd(element, start, semi >= 0 ? semi : element.length());
        String uri = element.substring(start, uriEnd);
        if (!isUriText(uri, true) || (semi >= 0 && !paramsClean(element, semi))) {
            return null;
        }
        if (semi < 0 && skipLws(element, uriEnd) < element.length()) {
            return null;
        }
        String tag = semi >= 0 ? HeaderValues.param(element, semi, "tag") : null;
        return new NameAddress(uri, start, false, tag, "");
    }

    /** A URI as it may stand in a name-addr or addr-spec: a scheme, no white space, quotes or brackets. */
    private static boolean isUriText(String uri, boolean addrSpec) {
        int colon = uri.indexOf(':');
        if (colon <= 0 || colon == uri.length() - 1) {
            return false;
        }
        for (int k = 0; k < uri.length(); k++) {
            char c = uri.charAt(k);
            if (c == ' ' || c == '\t' || c == '"' || c == '<' || c == '>'
                    || (addrSpec && (c == ',' || c == '?'))) {
                return false;
            }
        }
        return true;
    }

    /** Header parameters after the URI: no brackets outside quoted values (a second URI, a stray {@code >}). */
    private static boolean paramsClean(String element, int from) {
        boolean quoted = false;
        for (int k = from; k < element.length(); k++) {
            char c = element.charAt(k);
            if (quoted) {
                if (c == '\\') {
                    k++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<' || c == '>') {
                return false;
            }
        }
        return !quoted;
    }

    /** The index of the quote that closes the quoted-string opened at {@code open}, or -1. */
    private static int closingQuote(String s, int open) {
        for (int k = open + 1; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\\') {
                k++;
            } else if (c == '"') {
                return k;
            }
        }
        return -1;
    }

    private static String unquote(String s, int from, int to) {
        int backslash = s.indexOf('\\', from);
        if (backslash < 0 || backslash >= to) {
            return s.substring(from, to);
        }
        StringBuilder out = new StringBuilder(to - from);
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c == '\\' && k + 1 < to) {
                c = s.charAt(++k);
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * RFC 3261 §25.1 token characters, plus bytes of UTF-8 sequences (0x80 and above in the
     * ISO-8859-1 view), which many user agents send unquoted and which delimit nothing.
     */
    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-.!%*_+`'~".indexOf(c) >= 0 || c >= 0x80;
    }

    private static int skipLws(String s, int i) {
        while (i < s.length() && HeaderValues.isLws(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int trimEnd(String s, int start, int end) {
        while (end > start && HeaderValues.isLws(s.charAt(end - 1))) {
            end--;
        }
        return end;
    }
}
