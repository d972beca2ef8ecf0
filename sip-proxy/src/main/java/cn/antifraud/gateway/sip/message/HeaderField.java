package cn.antifraud.gateway.sip.message;

import java.nio.charset.StandardCharsets;

/**
 * One header field of a {@link SipMessage}: a slice of the message's original bytes, never copied
 * or re-encoded (RFC 3261 §7.3). The value keeps any line folding exactly as received; callers
 * that need a logical value use {@link #value()}, which reads the bytes as ISO-8859-1 so that
 * every character index equals a byte offset and UTF-8 text survives a round trip unchanged.
 *
 * @param canonicalName the long-form name for the headers the proxy reads ({@code Via} for {@code v}),
 *                      otherwise the name as written
 * @param lineStart     offset of the first byte of the field name
 * @param valueStart    offset of the first byte of the value (after the colon and leading whitespace)
 * @param valueEnd      offset just past the value (before the terminating line break)
 * @param lineEnd       offset just past the terminating line break
 */
public record HeaderField(String canonicalName, int lineStart, int valueStart, int valueEnd, int lineEnd) {

    /** The value as an ISO-8859-1 string over the raw bytes of {@code raw}, folding included. */
    public String value(byte[] raw) {
        return new String(raw, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
    }

    /** True when this field has the given canonical name (case-insensitive, RFC 3261 §7.3.1). */
    public boolean is(String name) {
        return SipHeaderNames.matches(canonicalName, name, SipHeaderNames.isConstant(name));
    }
}
