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

    private SipHeaderNames() {
    }

    /** The canonical spelling of {@code name} when the proxy reads that header, else {@code name} itself. */
    public static String canonical(String name) {
        if (name.length() == 1) {
            switch (Character.toLowerCase(name.charAt(0))) {
                case 'v': return VIA;
                case 'f': return FROM;
                case 't': return TO;
                case 'i': return CALL_ID;
                case 'm': return CONTACT;
                case 'l': return CONTENT_LENGTH;
                default: return name;
            }
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
