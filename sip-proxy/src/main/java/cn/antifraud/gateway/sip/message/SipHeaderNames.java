package cn.antifraud.gateway.sip.message;

import java.util.Locale;

/**
 * Names of the header fields the proxy reads, and the RFC 3261 §7.3.3 / §20 compact forms it maps
 * to them. Every other name is kept as written and never interpreted.
 */
public final class SipHeaderNames {
    public static final String VIA = "Via";
    public static final String FROM = "From";
    public static final String TO = "To";
    public static final String CALL_ID = "Call-ID";
    public static final String CSEQ = "CSeq";
    public static final String CONTACT = "Contact";
    public static final String CONTENT_LENGTH = "Content-Length";
    public static final String MAX_FORWARDS = "Max-Forwards";
    public static final String ROUTE = "Route";
    public static final String RECORD_ROUTE = "Record-Route";
    public static final String P_ASSERTED_IDENTITY = "P-Asserted-Identity";
    public static final String CALL_INFO = "Call-Info";

    private static final String[] LONG_FORMS = {VIA, FROM, TO, CALL_ID, CSEQ, CONTACT, CONTENT_LENGTH, MAX_FORWARDS,
            ROUTE, RECORD_ROUTE, P_ASSERTED_IDENTITY, CALL_INFO};

    private SipHeaderNames() {
    }

    /**
     * True when {@code name} is one of this class's constants (the very reference). Header fields
     * with such a name carry that constant as their canonical name, whatever case or compact form
     * was written, so a lookup by a constant can compare references instead of characters.
     */
    public static boolean isConstant(String name) {
        for (String c : LONG_FORMS) {
            if (c == name) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when a field whose canonical name is {@code canonicalName} has the name {@code name}
     * (case-insensitive, RFC 3261 §7.3.1). {@code nameIsConstant} is {@link #isConstant}{@code (name)},
     * computed once per lookup rather than once per field.
     */
    static boolean matches(String canonicalName, String name, boolean nameIsConstant) {
        return canonicalName == name || !nameIsConstant && canonicalName.equalsIgnoreCase(name);
    }

    /**
     * The constant for the header name in {@code b[start, end)} when the proxy reads that header
     * (long or compact form, any case), else null. Reads bytes in place: no string per header line.
     */
    static String canonical(byte[] b, int start, int end) {
        int length = end - start;
        if (length == 1) {
            return compactForm((char) (b[start] | 0x20));
        }
        // Only names of the same length can match; most lengths hold one candidate, none more than two.
        switch (length) {
            case 2: return match(b, start, "to", TO);
            case 3: return match(b, start, "via", VIA);
            case 4: return (b[start] | 0x20) == 'f' ? match(b, start, "from", FROM) : match(b, start, "cseq", CSEQ);
            case 5: return match(b, start, "route", ROUTE);
            case 7: return (b[start + 1] | 0x20) == 'a' ? match(b, start, "call-id", CALL_ID) : match(b, start, "contact", CONTACT);
            case 9: return match(b, start, "call-info", CALL_INFO);
            case 12: return (b[start] | 0x20) == 'm'
                    ? match(b, start, "max-forwards", MAX_FORWARDS) : match(b, start, "record-route", RECORD_ROUTE);
            case 14: return match(b, start, "content-length", CONTENT_LENGTH);
            case 19: return match(b, start, "p-asserted-identity", P_ASSERTED_IDENTITY);
            default: return null;
        }
    }

    /** The header a lower-case compact form stands for (RFC 3261 §7.3.3), among those the proxy reads; else null. */
    private static String compactForm(char lower) {
        switch (lower) {
            case 'v': return VIA;
            case 'f': return FROM;
            case 't': return TO;
            case 'i': return CALL_ID;
            case 'm': return CONTACT;
            case 'l': return CONTENT_LENGTH;
            default: return null;
        }
    }

    private static String match(byte[] b, int start, String lower, String constant) {
        return equalsLowerAscii(b, start, lower) ? constant : null;
    }

    /** Case-insensitive comparison of bytes with a lower-case ASCII name; only letters fold. */
    private static boolean equalsLowerAscii(byte[] b, int start, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            int x = b[start + i];
            if (c >= 'a' && c <= 'z' ? (x | 0x20) != c : x != c) {
                return false;
            }
        }
        return true;
    }

    /** The canonical spelling of {@code name} when the proxy reads that header, else {@code name} itself. */
    public static String canonical(String name) {
        if (name.length() == 1) {
            String full = compactForm(Character.toLowerCase(name.charAt(0)));
            return full != null ? full : name;
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "via": return VIA;
            case "from": return FROM;
            case "to": return TO;
            case "call-id": return CALL_ID;
            case "cseq": return CSEQ;
            case "contact": return CONTACT;
            case "content-length": return CONTENT_LENGTH;
            case "max-forwards": return MAX_FORWARDS;
            case "route": return ROUTE;
            case "record-route": return RECORD_ROUTE;
            case "p-asserted-identity": return P_ASSERTED_IDENTITY;
            case "call-info": return CALL_INFO;
            default: return name;
        }
    }
}
