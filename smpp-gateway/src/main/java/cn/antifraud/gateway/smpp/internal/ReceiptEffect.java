package cn.antifraud.gateway.smpp.internal;

import cn.antifraud.gateway.smpp.JobState;
import java.io.Serializable;

/**
 * What one receipt did to its job, returned from the member that owns the job.
 *
 * @param outcome what happened
 * @param state   the job's state afterwards (null when the job is unknown)
 */
record ReceiptEffect(Outcome outcome, JobState state) implements Serializable {
    enum Outcome {
        /** Recorded on a part that had no final receipt; the job is not final yet. */
        RECORDED,
        /** Recorded, and the job became final by it. */
        MADE_FINAL,
        /** Recorded on the part of a job already final by other means (e.g. EXPIRED without receipt). */
        JOB_ALREADY_FINAL,
        /** The part had a final receipt already (an SMSC resending an unacknowledged deliver_sm): ignored. */
        PART_ALREADY_FINAL,
        /** For another submission of the part than the one the job recorded (a duplicate): ignored. */
        OTHER_SUBMISSION,
        /** No such job or part (purged, or the index outlived it): ignored. */
        UNKNOWN_PART
    }
}
