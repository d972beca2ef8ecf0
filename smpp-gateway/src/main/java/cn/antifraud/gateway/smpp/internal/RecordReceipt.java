package cn.antifraud.gateway.smpp.internal;

import cn.antifraud.gateway.registry.work.Transition;
import cn.antifraud.gateway.smpp.SmsJob;
import java.time.Instant;

/**
 * Records one part's receipt as a compare-and-set transition of the job store. The transition is
 * {@link JobLifecycle}'s; this only says what it did, so a job's finality is counted once (a retry on a
 * fresh value computes the effect again). A receipt counts only for the submission whose id the job
 * recorded for the part.
 */
final class RecordReceipt implements Transition<SmsJob, ReceiptEffect> {
    private final int part;
    private final String submitId;
    private final DeliveryReceipt.Status status;

    RecordReceipt(int part, String submitId, DeliveryReceipt.Status status) {
        this.part = part;
        this.submitId = submitId;
        this.status = status;
    }

    @Override
    public Result<SmsJob, ReceiptEffect> apply(SmsJob job) {
        if (job == null || part < 0 || part >= job.parts()) {
            return Result.unchanged(job, new ReceiptEffect(ReceiptEffect.Outcome.UNKNOWN_PART, null));
        }
        if (!submitId.isEmpty() && !submitId.equals(job.messageIds().get(part))) {
            // A second submission of the part (sent again after its lease lapsed): the job keeps the first
            // accepted id, and the part's state is that submission's receipt.
            return Result.unchanged(job, new ReceiptEffect(ReceiptEffect.Outcome.OTHER_SUBMISSION, job.state()));
        }
        if (job.partStates().get(part).isFinal()) {
            return Result.unchanged(job, new ReceiptEffect(ReceiptEffect.Outcome.PART_ALREADY_FINAL, job.state()));
        }
        SmsJob after = JobLifecycle.receipt(job, new JobEvent.Receipt(part, status), Instant.now());
        JobChange change = new JobChange(job, after);
        ReceiptEffect.Outcome outcome = change.becameFinal() ? ReceiptEffect.Outcome.MADE_FINAL
                : job.state().isFinal() ? ReceiptEffect.Outcome.JOB_ALREADY_FINAL : ReceiptEffect.Outcome.RECORDED;
        return new Result<>(after, new ReceiptEffect(outcome, after.state()));
    }
}
