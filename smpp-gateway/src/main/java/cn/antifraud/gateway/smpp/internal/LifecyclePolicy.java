package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.smpp.RetryPolicy;
import cn.antifraud.gateway.smpp.SmppGatewayConfig;
import java.time.Duration;

/**
 * The limits the job lifecycle applies, from the config.
 *
 * @param retry          backoff, max age (counted from the first attempt that reached an SMSC), resend after timeout
 * @param holdWhileDown  how long a job that never reached an SMSC may wait for a bind
 * @param receiptTimeout how long a SUBMITTED job waits for its receipts
 */
public record LifecyclePolicy(RetryPolicy retry, Duration holdWhileDown, Duration receiptTimeout) {
    public LifecyclePolicy {
        requireNonNull(retry, "retry");
        requireNonNull(holdWhileDown, "holdWhileDown");
        requireNonNull(receiptTimeout, "receiptTimeout");
    }

    public static LifecyclePolicy of(SmppGatewayConfig config) {
        return new LifecyclePolicy(config.retryPolicy(), config.holdWhileDown(), config.receiptTimeout());
    }
}
