package cn.antifraud.gateway.smpp;

/**
 * A caller's bad value as quoted back in an error: at most {@link #MAX_CHARS} characters, so that a 20 KB
 * value is not echoed in a 400 or a log line.
 */
public final class Quote {
    public static final int MAX_CHARS = 64;

    private Quote() {
    }

    /** The value itself when short enough, else its first 64 characters followed by "…(N characters)". */
    public static String limit(String value) {
        if (value.length() <= MAX_CHARS) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
        return value.substring(0, end) + "…(" + value.length() + " characters)";
    }
}
