package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

/**
 * What became of one submit_sm.
 *
 * @param kind        accepted, temporary (retry), ambiguous (response timeout: the SMSC may hold it), permanent
 * @param messageId   the SMSC's message id when accepted, else null
 * @param commandStatus the submit_sm_resp command_status, or -1 when there was no response
 * @param detail      a short reason for logs and job history; never contains a password
 */
public record SubmitOutcome(Kind kind, String messageId, int commandStatus, String detail) {

    /** Outcome classes (SMPP 3.4 §5.1.3). */
    public enum Kind { ACCEPTED, TEMPORARY, AMBIGUOUS, PERMANENT, NO_BIND }

    public SubmitOutcome {
        requireNonNull(kind, "kind");
        requireNonNull(detail, "detail");
    }

    static SubmitOutcome accepted(String messageId) {
        return new SubmitOutcome(Kind.ACCEPTED, requireNonNull(messageId, "messageId"), 0, "accepted");
    }

    /** Temporary: ESME_RSYSERR 0x08, ESME_RMSGQFUL 0x14, ESME_RTHROTTLED 0x58; everything else is permanent. */
    static SubmitOutcome rejected(int status) {
        boolean temporary = status == 0x08 || status == 0x14 || status == 0x58;
        return new SubmitOutcome(temporary ? Kind.TEMPORARY : Kind.PERMANENT, null, status, CommandStatus.describe(status));
    }
}
