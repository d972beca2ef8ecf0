package cn.antifraud.gateway.smpp;

/**
 * Life of one SMS job: QUEUED → SUBMITTED → DELIVERED | FAILED | EXPIRED; QUEUED may go straight to FAILED
 * (permanent error) or EXPIRED (retry max-age, or no bind within hold-while-down). The transitions are in
 * {@code internal.JobLifecycle}.
 */
public enum JobState {
    QUEUED, SUBMITTED, DELIVERED, FAILED, EXPIRED;

    public boolean isFinal() {
        return this == DELIVERED || this == FAILED || this == EXPIRED;
    }
}
