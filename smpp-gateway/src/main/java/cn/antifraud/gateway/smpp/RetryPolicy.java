package cn.antifraud.gateway.smpp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a job is retried after a temporary error (ESME_RTHROTTLED 0x58, ESME_RMSGQFUL 0x14, ESME_RSYSERR 0x08,
 * SMPP 3.4 §5.1.3) or a response timeout. Permanent errors are never retried.
 *
 * @param maxAge               a job not submitted within this age of its creation is EXPIRED
 * @param backoff              delay between attempts
 * @param retryAfterTimeout    whether to resend after a response timeout; the SMSC may already hold the
 *                             message, so a resend may be a duplicate (it is counted either way)
 */
public record RetryPolicy(Duration maxAge, Backoff backoff, boolean retryAfterTimeout) {

    public RetryPolicy {
        requireNonNull(maxAge, "maxAge");
        requireNonNull(backoff, "backoff");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
        }
    }

    /** One hour, 1 s..60 s backoff, resend after a timeout (a duplicate warning beats a lost one). */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofHours(1), new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60)), true);
    }
}
