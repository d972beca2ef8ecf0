package cn.antifraud.gateway.smpp;

/** Life of one SMS job: QUEUED → SUBMITTED → DELIVERED | FAILED | EXPIRED; QUEUED may go straight to FAILED or EXPIRED. */
public enum JobState {
    QUEUED, SUBMITTED, DELIVERED, FAILED, EXPIRED;

    public boolean isFinal() {
        return this == DELIVERED || this == FAILED || this == EXPIRED;
    }
}
