package cn.antifraud.gateway.sip.message;

/**
 * The outcome of parsing one framed message: either a {@link SipMessage} or a {@link ParseFailure}.
 * Decoders emit this instead of throwing, so the next handler can answer a bad request with 400.
 */
public final class ParseResult {
    private final SipMessage message;
    private final ParseFailure failure;

    private ParseResult(SipMessage message, ParseFailure failure) {
        this.message = message;
        this.failure = failure;
    }

    public static ParseResult success(SipMessage message) {
        return new ParseResult(message, null);
    }

    public static ParseResult failure(ParseFailure failure) {
        return new ParseResult(null, failure);
    }

    public boolean isSuccess() {
        return message != null;
    }

    /** The message; null on failure. */
    public SipMessage message() {
        return message;
    }

    /** The failure; null on success. */
    public ParseFailure failure() {
        return failure;
    }

    @Override
    public String toString() {
        return isSuccess() ? message.toString() : "failure(" + failure.status() + " " + failure.reason() + ")";
    }
}
