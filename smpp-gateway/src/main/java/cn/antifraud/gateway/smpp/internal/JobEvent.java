package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/** What can happen to a job; {@link JobLifecycle#apply} says what each does. */
public sealed interface JobEvent {

    /** A node wants to send the job now, holding it until {@code until} (the lease). */
    record Dispatch(String owner, Instant until) implements JobEvent {
        public Dispatch {
            requireNonNull(owner, "owner");
            requireNonNull(until, "until");
        }
    }

    /** The outcome of sending the job's unsent parts, one entry per part sent. */
    record Attempted(List<PartAttempt> parts) implements JobEvent {
        public Attempted {
            parts = List.copyOf(parts);
        }
    }

    /**
     * One part's submit_sm outcome.
     *
     * @param part      index of the part in the job
     * @param kind      accepted, temporary, ambiguous, permanent, or no bind up
     * @param messageId the submit_sm_resp message id when accepted, else ""
     * @param smsc      the SMSC that answered, "" for no bind
     * @param detail    a short reason
     */
    record PartAttempt(int part, SubmitOutcome.Kind kind, String messageId, String smsc, String detail) {
        public PartAttempt {
            requireNonNull(kind, "kind");
            requireNonNull(messageId, "messageId");
            requireNonNull(smsc, "smsc");
            requireNonNull(detail, "detail");
        }
    }

    /** A final delivery receipt for one part (SMPP 3.4 Appendix B). */
    record Receipt(int part, DeliveryReceipt.Status status) implements JobEvent {
        public Receipt {
            requireNonNull(status, "status");
        }
    }

    /** The sweep found a SUBMITTED job whose receipt may be overdue. */
    record ReceiptOverdue() implements JobEvent {
    }

    /** The text cannot be encoded (a bug or a bad template): the job can never be sent. */
    record EncodingFailed(String detail) implements JobEvent {
        public EncodingFailed {
            requireNonNull(detail, "detail");
        }
    }
}
