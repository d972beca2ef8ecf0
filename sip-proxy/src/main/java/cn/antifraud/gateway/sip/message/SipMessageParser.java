package cn.antifraud.gateway.sip.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames one SIP message held in a byte array (RFC 3261 §7, §18.3) and parses only what a proxy
 * routes by. Never throws on bad input: every problem becomes a {@link ParseFailure} whose reason
 * names it. Line breaks may be CRLF or a bare LF (RFC 3261 §7.5 asks receivers to be tolerant).
 */
public final class SipMessageParser {
    private static final int SALVAGED_LINE_MAX = 1024;

    private final int maxHeaders;
    private final int maxLineLength;

    /**
     * @param maxHeaders    most header fields accepted in one message
     * @param maxLineLength most bytes in one line (start line or header line, folding counted per line)
     */
    public SipMessageParser(int maxHeaders, int maxLineLength) {
        if (maxHeaders < 1 || maxLineLength < 32) {
            throw new IllegalArgumentException("maxHeaders must be >= 1 and maxLineLength >= 32");
        }
        this.maxHeaders = maxHeaders;
        this.maxLineLength = maxLineLength;
    }

    /** Parses {@code bytes} (one datagram or one framed stream message); the array is not kept if the parse fails. */
    public ParseResult parse(byte[] bytes) {
        try {
            return parseOrFail(bytes);
        } catch (MalformedMessage e) {
            return ParseResult.failure(failure(bytes, e.status, e.getMessage()));
        }
    }

    /** A failure for {@code bytes} with salvaged lines, for framers that reject before parsing. */
    public static ParseFailure failure(byte[] bytes, int status, String reason) {
        boolean request = !(bytes.length >= 4 && bytes[0] == 'S' && bytes[1] == 'I' && bytes[2] == 'P' && bytes[3] == '/');
        return new ParseFailure(status, reason, request, salvage(bytes), request ? requestMethod(bytes) : null);
    }

    /** The method token at the start of a request line, or null when the bytes do not start with one. */
    private static String requestMethod(byte[] b) {
        int i = 0;
        while (i < b.length && i < 32 && b[i] > ' ' && b[i] < 0x7f) {
            i++;
        }
        return i > 0 && i < b.length && b[i] == ' ' ? new String(b, 0, i, StandardCharsets.ISO_8859_1) : null;
    }

    private ParseResult parseOrFail(byte[] b) {
        int n = b.length;
        int lineEnd = lineEnd(b, 0);
        if (lineEnd < 0) {
            throw new MalformedMessage("no line break after the start line");
        }
        int startLineContentEnd = contentEnd(b, 0, lineEnd);
        if (startLineContentEnd > maxLineLength) {
            throw new MalformedMessage("start line longer than " + maxLineLength + " bytes");
        }
        String startLine = new String(b, 0, startLineContentEnd, StandardCharsets.ISO_8859_1);
        String method = null;
        String requestUri = null;
        int status = 0;
        if (startLine.startsWith("SIP/")) {
            status = parseStatusLine(startLine);
        } else {
            // Exactly two single spaces (RFC 3261 §25.1 Request-Line); found with indexOf, no split per message.
            int sp1 = startLine.indexOf(' ');
            int sp2 = sp1 < 0 ? -1 : startLine.indexOf(' ', sp1 + 1);
            if (sp2 < 0 || startLine.indexOf(' ', sp2 + 1) >= 0) {
                throw new MalformedMessage("request line is not 'Method SP Request-URI SP SIP/2.0'");
            }
            String[] parts = {startLine.substring(0, sp1), startLine.substring(sp1 + 1, sp2), startLine.substring(sp2 + 1)};
            if (!isToken(parts[0])) {
                throw new MalformedMessage("method is not a token");
            }
            if (parts[1].isEmpty() || parts[1].indexOf(':') < 0) {
                throw new MalformedMessage("Request-URI is not an absolute URI");
            }
            if (!parts[2].equals("SIP/2.0")) {
                throw new MalformedMessage("SIP version is not SIP/2.0");
            }
            method = parts[0];
            requestUri = parts[1];
        }

        List<HeaderField> headers = new ArrayList<>(16);
        int pos = lineEnd + 1;
        int startLineEnd = pos;
        int bodyStart = -1;
        while (pos < n) {
            int end = lineEnd(b, pos);
            int next = end < 0 ? n : end + 1;
            int contentEnd = end < 0 ? n : contentEnd(b, pos, end);
            if (contentEnd - pos > maxLineLength) {
                throw new MalformedMessage("header line " + (headers.size() + 1) + " longer than " + maxLineLength + " bytes");
            }
            if (contentEnd == pos) {
                bodyStart = next;
                break;
            }
            if (b[pos] == ' ' || b[pos] == '\t') {
                if (headers.isEmpty()) {
                    throw new MalformedMessage("folded line before the first header");
                }
                HeaderField last = headers.remove(headers.size() - 1);
                int valueEnd = trimEnd(b, last.valueStart(), contentEnd);
                headers.add(new HeaderField(last.canonicalName(), last.lineStart(),
                        last.valueStart(), Math.max(valueEnd, last.valueEnd()), next));
            } else {
                if (headers.size() == maxHeaders) {
                    throw new MalformedMessage("more than " + maxHeaders + " header fields");
                }
                headers.add(headerField(b, pos, contentEnd, next, headers.size() + 1));
            }
            pos = next;
        }
        if (bodyStart < 0) {
            // No empty line: a datagram that ends after its last header. Tolerated; the body is empty.
            bodyStart = n;
        }
        return ParseResult.success(build(b, method, requestUri, status, startLineEnd, headers, bodyStart));
    }

    private SipMessage build(byte[] b, String method, String requestUri, int status, int startLineEnd,
                             List<HeaderField> headers, int bodyStart) {
        int contentLength = -1;
        String via = null;
        String from = null;
        String to = null;
        String callId = null;
        String cseq = null;
        String maxForwards = null;
        for (HeaderField h : headers) {
            String c = h.canonicalName();
            if (c == SipHeaderNames.VIA && via == null) {
                via = first(h.value(b));
            } else if (c == SipHeaderNames.FROM) {
                from = once(from, h, b, "From");
            } else if (c == SipHeaderNames.TO) {
                to = once(to, h, b, "To");
            } else if (c == SipHeaderNames.CALL_ID) {
                callId = once(callId, h, b, "Call-ID");
            } else if (c == SipHeaderNames.CSEQ) {
                cseq = once(cseq, h, b, "CSeq");
            } else if (c == SipHeaderNames.MAX_FORWARDS) {
                maxForwards = once(maxForwards, h, b, "Max-Forwards");
            } else if (c == SipHeaderNames.CONTENT_LENGTH) {
                if (contentLength >= 0) {
                    throw new MalformedMessage("more than one Content-Length");
                }
                contentLength = parseNumber(HeaderValues.unfold(h.value(b)).trim(), 9, "Content-Length");
            }
        }
        int available = b.length - bodyStart;
        if (contentLength > available) {
            throw new MalformedMessage("Content-Length " + contentLength + " exceeds the " + available + " body bytes received");
        }
        byte[] raw = b;
        if (contentLength >= 0 && contentLength < available) {
            // RFC 3261 §18.3: bytes after Content-Length in a datagram are discarded.
            raw = new byte[bodyStart + contentLength];
            System.arraycopy(b, 0, raw, 0, raw.length);
        }
        Via topVia = via == null ? null : Via.parse(via);
        if (via == null) {
            throw new MalformedMessage("missing Via");
        }
        if (topVia == null) {
            throw new MalformedMessage("malformed top Via");
        }
        NameAddress fromAddress = nameAddress(from, "From");
        NameAddress toAddress = nameAddress(to, "To");
        if (callId == null || callId.isBlank() || containsLws(callId.trim())) {
            throw new MalformedMessage(callId == null ? "missing Call-ID" : "malformed Call-ID");
        }
        if (cseq == null) {
            throw new MalformedMessage("missing CSeq");
        }
        String[] cseqParts = splitCseq(HeaderValues.unfold(cseq).trim());
        if (cseqParts == null || !isToken(cseqParts[1])) {
            throw new MalformedMessage("malformed CSeq");
        }
        long cseqNumber = parseLong(cseqParts[0]);
        if (method != null && !cseqParts[1].equals(method)) {
            throw new MalformedMessage("CSeq method does not match the request method");
        }
        int mf = maxForwards == null ? -1 : parseNumber(HeaderValues.unfold(maxForwards).trim(), 3, "Max-Forwards");
        if (mf > 255) {
            throw new MalformedMessage("Max-Forwards above 255");
        }
        return new SipMessage(raw, method, requestUri, status, startLineEnd, headers, bodyStart, topVia,
                fromAddress, toAddress, callId.trim(), cseqNumber, cseqParts[1], mf);
    }

    /**
     * Number and method of a trimmed CSeq value (RFC 3261 §20.16: number LWS method), split at the one
     * run of spaces and tabs between them; null when there is not exactly one such run. No regex per message.
     */
    private static String[] splitCseq(String s) {
        int i = 0;
        while (i < s.length() && !isSpaceOrTab(s.charAt(i))) {
            i++;
        }
        int j = i;
        while (j < s.length() && isSpaceOrTab(s.charAt(j))) {
            j++;
        }
        if (i == 0 || j == i || j == s.length()) {
            return null;
        }
        for (int k = j; k < s.length(); k++) {
            if (isSpaceOrTab(s.charAt(k))) {
                return null;
            }
        }
        return new String[] {s.substring(0, i), s.substring(j)};
    }

    private static boolean isSpaceOrTab(char c) {
        return c == ' ' || c == '\t';
    }

    private static String once(String seen, HeaderField h, byte[] b, String name) {
        if (seen != null) {
            throw new MalformedMessage("more than one " + name);
        }
        return h.value(b);
    }

    private static String first(String value) {
        List<int[]> elements = HeaderValues.split(value, 1);
        if (elements.isEmpty()) {
            throw new MalformedMessage("empty Via");
        }
        return value.substring(elements.get(0)[0], elements.get(0)[1]);
    }

    private static NameAddress nameAddress(String value, String name) {
        if (value == null) {
            throw new MalformedMessage("missing " + name);
        }
        NameAddress a = NameAddress.parse(HeaderValues.unfold(value));
        // Never forwarded, never rewritten when malformed: a rewrite would make it worse (issue 10).
        if (a == null || !a.hasIdentityUri()) {
            throw new MalformedMessage("malformed " + name);
        }
        return a;
    }

    private static int parseStatusLine(String line) {
        if (!line.startsWith("SIP/2.0 ") || line.length() < 11 || (line.length() > 11 && line.charAt(11) != ' ')) {
            throw new MalformedMessage("malformed status line");
        }
        int code = 0;
        for (int i = 8; i < 11; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw new MalformedMessage("malformed status code");
            }
            code = code * 10 + (c - '0');
        }
        if (code < 100 || code > 699) {
            throw new MalformedMessage("status code out of range");
        }
        return code;
    }

    private static HeaderField headerField(byte[] b, int start, int contentEnd, int next, int index) {
        int colon = -1;
        for (int i = start; i < contentEnd; i++) {
            if (b[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            throw new MalformedMessage("header line " + index + " has no colon");
        }
        int nameEnd = trimEnd(b, start, colon);
        if (nameEnd == start) {
            throw new MalformedMessage("header line " + index + " has no name");
        }
        // A name the proxy reads is matched in place (its bytes are then a token); any other is kept as written.
        String name = SipHeaderNames.canonical(b, start, nameEnd);
        if (name == null) {
            name = new String(b, start, nameEnd - start, StandardCharsets.ISO_8859_1);
            if (!isToken(name)) {
                throw new MalformedMessage("header line " + index + " has an invalid name");
            }
        }
        int valueStart = colon + 1;
        while (valueStart < contentEnd && (b[valueStart] == ' ' || b[valueStart] == '\t')) {
            valueStart++;
        }
        return new HeaderField(name, start, valueStart, trimEnd(b, valueStart, contentEnd), next);
    }

    /**
     * Offset of the next LF at or after {@code from}, or -1. Reads eight bytes at a time and tests
     * them for an LF byte all at once (the classic "has zero byte" bit trick on {@code word ^ LF*8}):
     * header lines are tens of bytes, so this is a handful of steps instead of one per byte.
     */
    static int lineEnd(byte[] b, int from) {
        int i = from;
        for (; i + Long.BYTES <= b.length; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i) ^ LF_BYTES;
            long found = (x - LOW_BITS) & ~x & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LF_BYTES = 0x0a0a0a0a0a0a0a0aL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private static int contentEnd(byte[] b, int start, int lf) {
        return lf > start && b[lf - 1] == '\r' ? lf - 1 : lf;
    }

    private static int trimEnd(byte[] b, int start, int end) {
        while (end > start && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
            end--;
        }
        return end;
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Via.isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsLws(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (HeaderValues.isLws(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static int parseNumber(String s, int maxDigits, String name) {
        if (s.isEmpty() || s.length() > maxDigits) {
            throw new MalformedMessage("malformed " + name);
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new MalformedMessage("malformed " + name);
            }
        }
        return Integer.parseInt(s);
    }

    private static long parseLong(String s) {
        if (s.isEmpty() || s.length() > 10) {
            throw new MalformedMessage("malformed CSeq number");
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new MalformedMessage("malformed CSeq number");
            }
        }
        long v = Long.parseLong(s);
        if (v >= 1L << 31) {
            throw new MalformedMessage("CSeq number not below 2**31");
        }
        return v;
    }

    /** The raw Via/From/To/Call-ID/CSeq lines of a message too broken to parse, for the 400 that answers it. */
    private static List<byte[]> salvage(byte[] b) {
        List<byte[]> out = new ArrayList<>(6);
        int pos = lineEnd(b, 0);
        while (pos >= 0 && pos + 1 < b.length && out.size() < 12) {
            int start = pos + 1;
            int end = lineEnd(b, start);
            int contentEnd = end < 0 ? b.length : contentEnd(b, start, end);
            if (contentEnd == start) {
                break;
            }
            int colon = -1;
            for (int i = start; i < contentEnd && i - start < 32; i++) {
                if (b[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon > start && contentEnd - start <= SALVAGED_LINE_MAX && isPrintable(b, start, contentEnd)) {
                String c = SipHeaderNames.canonical(new String(b, start, trimEnd(b, start, colon) - start, StandardCharsets.ISO_8859_1));
                if (c == SipHeaderNames.VIA || c == SipHeaderNames.FROM || c == SipHeaderNames.TO
                        || c == SipHeaderNames.CALL_ID || c == SipHeaderNames.CSEQ) {
                    byte[] line = new byte[contentEnd - start];
                    System.arraycopy(b, start, line, 0, line.length);
                    out.add(line);
                }
            }
            pos = end;
        }
        return out;
    }

    private static boolean isPrintable(byte[] b, int start, int end) {
        for (int i = start; i < end; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Internal control flow of the parser; never leaves {@link #parse}. */
    private static final class MalformedMessage extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        MalformedMessage(String reason) {
            super(reason, null, false, false);
            this.status = 400;
        }
    }
}
