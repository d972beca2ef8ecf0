package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.sip.message.HeaderField;
import cn.antifraud.gateway.sip.message.ParseFailure;
import cn.antifraud.gateway.sip.message.SipHeaderNames;
import cn.antifraud.gateway.sip.message.SipMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Responses the proxy makes itself (RFC 3261 §8.2.6, §16.11): Via, From, To, Call-ID and CSeq are
 * copied from the request, a To tag is added when missing, and the body is empty.
 */
public final class LocalResponses {
    private static final byte[] CRLF = {'\r', '\n'};

    private LocalResponses() {
    }

    /**
     * A response to {@code request}, whose top Via already carries received/rport.
     *
     * @param reason reason phrase; control characters are replaced so it cannot break the status line
     */
    public static byte[] forRequest(SipMessage request, int status, String reason) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        statusLine(out, status, reason);
        byte[] raw = request.toByteArray();
        for (HeaderField h : request.headers()) {
            String c = h.canonicalName();
            if (c == SipHeaderNames.VIA || c == SipHeaderNames.FROM || c == SipHeaderNames.CALL_ID
                    || c == SipHeaderNames.CSEQ) {
                out.write(raw, h.lineStart(), h.lineEnd() - h.lineStart());
                endLine(out, raw, h.lineEnd());
            } else if (c == SipHeaderNames.TO) {
                out.write(raw, h.lineStart(), h.valueEnd() - h.lineStart());
                if (request.to().tag() == null) {
                    ascii(out, ";tag=" + BranchFactory.toTag(request));
                }
                out.write(CRLF, 0, 2);
            }
        }
        ascii(out, "Content-Length: 0\r\n\r\n");
        return out.toByteArray();
    }

    /** A 400 or 513 to a request that could not be parsed; null when nothing identifies the sender's transaction. */
    public static byte[] forFailure(ParseFailure failure, String toTag) {
        boolean via = false;
        boolean cseq = false;
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        statusLine(out, failure.status(), reasonFor(failure));
        for (byte[] line : failure.salvagedLines()) {
            String name = new String(line, 0, Math.min(line.length, 32), StandardCharsets.ISO_8859_1);
            String c = SipHeaderNames.canonical(name.substring(0, Math.max(0, name.indexOf(':'))).trim());
            via |= c == SipHeaderNames.VIA;
            cseq |= c == SipHeaderNames.CSEQ;
            out.write(line, 0, line.length);
            if (c == SipHeaderNames.TO && new String(line, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT).indexOf("tag=") < 0) {
                ascii(out, ";tag=" + toTag);
            }
            out.write(CRLF, 0, 2);
        }
        if (!via || !cseq) {
            return null;
        }
        ascii(out, "Content-Length: 0\r\n\r\n");
        return out.toByteArray();
    }

    /** "Bad Request (missing Call-ID)", "Message Too Large (...)". */
    static String reasonFor(ParseFailure failure) {
        String base = failure.status() == 513 ? "Message Too Large" : "Bad Request";
        return base + " (" + failure.reason() + ")";
    }

    private static void statusLine(ByteArrayOutputStream out, int status, String reason) {
        StringBuilder s = new StringBuilder(reason.length() + 16).append("SIP/2.0 ").append(status).append(' ');
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            s.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        byte[] line = s.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
        out.write(line, 0, line.length);
    }

    /** Header lines copied from the request end in whatever it used; make them CRLF if they ended in bare LF. */
    private static void endLine(ByteArrayOutputStream out, byte[] raw, int lineEnd) {
        if (lineEnd >= 2 && raw[lineEnd - 2] != '\r') {
            byte[] written = out.toByteArray();
            out.reset();
            out.write(written, 0, written.length - 1);
            out.write(CRLF, 0, 2);
        }
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        out.write(b, 0, b.length);
    }
}
