package cn.antifraud.gateway.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An immutable SIP request or response over its original bytes (RFC 3261 §7), in the manner of
 * pkts.io: framing located the start line, every header field and the body; only the fields a proxy
 * routes by were parsed ({@link SipMessageParser}). Everything else stays as raw slices and leaves
 * the proxy byte for byte unless a {@link SipMessageBuilder} edit touches it.
 */
public final class SipMessage {
    private final byte[] raw;
    private final String method;
    private final String requestUri;
    private final int statusCode;
    private final int startLineEnd;
    private final List<HeaderField> headers;
    private final int bodyStart;
    private final Via topVia;
    private final NameAddress from;
    private final NameAddress to;
    private final String callId;
    private final long cseqNumber;
    private final String cseqMethod;
    private final int maxForwards;
    /** Every Via element, parsed on first use and kept: the proxy reads the list more than once per message. */
    private List<Via> vias;

    SipMessage(byte[] raw, String method, String requestUri, int statusCode, int startLineEnd,
               List<HeaderField> headers, int bodyStart, Via topVia, NameAddress from, NameAddress to,
               String callId, long cseqNumber, String cseqMethod, int maxForwards) {
        this.raw = raw;
        this.method = method;
        this.requestUri = requestUri;
        this.statusCode = statusCode;
        this.startLineEnd = startLineEnd;
        this.headers = Collections.unmodifiableList(headers);
        this.bodyStart = bodyStart;
        this.topVia = topVia;
        this.from = from;
        this.to = to;
        this.callId = callId;
        this.cseqNumber = cseqNumber;
        this.cseqMethod = cseqMethod;
        this.maxForwards = maxForwards;
    }

    public boolean isRequest() {
        return method != null;
    }

    /** Request method as written (methods are case-sensitive, RFC 3261 §7.1); null for responses. */
    public String method() {
        return method;
    }

    /** Request-URI text; null for responses. */
    public String requestUri() {
        return requestUri;
    }

    /** Status code; 0 for requests. */
    public int statusCode() {
        return statusCode;
    }

    public List<HeaderField> headers() {
        return headers;
    }

    public Via topVia() {
        return topVia;
    }

    public NameAddress from() {
        return from;
    }

    public NameAddress to() {
        return to;
    }

    public String callId() {
        return callId;
    }

    public long cseqNumber() {
        return cseqNumber;
    }

    public String cseqMethod() {
        return cseqMethod;
    }

    /** Max-Forwards value, or -1 when the header is absent. */
    public int maxForwards() {
        return maxForwards;
    }

    /** Length of the whole message in bytes. */
    public int length() {
        return raw.length;
    }

    /** A copy of the message's bytes, exactly as received. */
    public byte[] toByteArray() {
        return raw.clone();
    }

    /** The original bytes, shared with the builder of this package; never modified. */
    byte[] rawBytes() {
        return raw;
    }

    int startLineEnd() {
        return startLineEnd;
    }

    int bodyStart() {
        return bodyStart;
    }

    /** The start line without its line break, decoded as UTF-8. */
    public String startLine() {
        int end = startLineEnd;
        while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) {
            end--;
        }
        return new String(raw, 0, end, StandardCharsets.UTF_8);
    }

    /** The body bytes (a copy). */
    public byte[] body() {
        byte[] body = new byte[raw.length - bodyStart];
        System.arraycopy(raw, bodyStart, body, 0, body.length);
        return body;
    }

    /** Every element of every field with this canonical name, in order, unfolded, as ISO-8859-1 over the bytes. */
    public List<String> values(String canonicalName) {
        List<String> out = new ArrayList<>(2);
        boolean constant = SipHeaderNames.isConstant(canonicalName);
        for (HeaderField h : headers) {
            if (SipHeaderNames.matches(h.canonicalName(), canonicalName, constant)) {
                String v = h.value(raw);
                for (int[] e : HeaderValues.split(v)) {
                    out.add(HeaderValues.unfold(v.substring(e[0], e[1])));
                }
            }
        }
        return out;
    }

    /** The first element with this canonical name, or null. */
    public String firstValue(String canonicalName) {
        boolean constant = SipHeaderNames.isConstant(canonicalName);
        for (HeaderField h : headers) {
            if (SipHeaderNames.matches(h.canonicalName(), canonicalName, constant)) {
                String v = h.value(raw);
                List<int[]> elements = HeaderValues.split(v);
                if (!elements.isEmpty()) {
                    return HeaderValues.unfold(v.substring(elements.get(0)[0], elements.get(0)[1]));
                }
            }
        }
        return null;
    }

    /** Every Via element in order; an unparseable element ends the list (it cannot route a response). */
    public List<Via> vias() {
        List<Via> parsed = vias;
        if (parsed == null) {
            List<Via> out = new ArrayList<>(3);
            for (String v : values(SipHeaderNames.VIA)) {
                Via via = out.isEmpty() ? topVia : Via.parse(v);
                if (via == null) {
                    break;
                }
                out.add(via);
            }
            // An immutable list of immutable records: a racing thread at worst parses it again.
            parsed = List.copyOf(out);
            vias = parsed;
        }
        return parsed;
    }

    /** Decodes an ISO-8859-1 view over raw bytes as UTF-8 text (display names, reasons). */
    public static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return startLine();
    }
}
