package cn.antifraud.gateway.smpp;

/**
 * Where one part (one submit_sm) of a job stands. A part is final once its delivery receipt said so
 * (SMPP 3.4 §5.2.28 message_state: DELIVERED, EXPIRED, or UNDELIVERABLE / REJECTED / DELETED / UNKNOWN as FAILED).
 */
public enum PartState {
    /** Not accepted by an SMSC yet. */
    PENDING,
    /** Sent, but no submit_sm_resp came: the SMSC may hold it (SMPP 3.4 §2.7); resending may duplicate it. */
    AMBIGUOUS,
    /** Accepted (submit_sm_resp with a message id); waiting for its receipt. */
    SUBMITTED,
    DELIVERED,
    EXPIRED,
    FAILED;

    public boolean isFinal() {
        return this == DELIVERED || this == EXPIRED || this == FAILED;
    }
}
