package cn.antifraud.gateway.sip;

/**
 * Size limits on incoming messages. A request over {@code maxMessageBytes} is answered 513 Message
 * Too Large (RFC 3261 §21.5.14); over the header count or line length, 400 naming the limit.
 *
 * @param maxMessageBytes most bytes in one message, headers and body (default 64 KiB)
 * @param maxHeaders      most header fields (default 256)
 * @param maxLineLength   most bytes in one line (default 8 KiB)
 */
public record SipLimits(int maxMessageBytes, int maxHeaders, int maxLineLength) {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

    public SipLimits {
        if (maxMessageBytes < 512 || maxMessageBytes > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be 512 to 16 MiB, was " + maxMessageBytes);
        }
        if (maxHeaders < 8) {
            throw new IllegalArgumentException("maxHeaders must be at least 8, was " + maxHeaders);
        }
        if (maxLineLength < 128 || maxLineLength > maxMessageBytes) {
            throw new IllegalArgumentException("maxLineLength must be 128 to maxMessageBytes, was " + maxLineLength);
        }
    }

    /** 64 KiB, 256 headers, 8 KiB lines. */
    public static SipLimits defaults() {
        return new SipLimits(DEFAULT_MAX_MESSAGE_BYTES, 256, 8 * 1024);
    }
}
