package cn.antifraud.gateway.smpp.internal;

import cn.antifraud.gateway.smpp.SmsJob;
import com.hazelcast.map.EntryProcessor;
import java.time.Instant;
import java.util.Map;

/**
 * Records one part's receipt on the member that owns the job, in one round trip and without the
 * read-compare-write retries a receipt would otherwise race with the submit side's updates. The
 * transition is {@link JobLifecycle}'s; this only says what it did, so a job's finality is counted once.
 * A receipt counts only for the submission whose id the job recorded for the part.
 */
final class RecordReceipt implements EntryProcessor<String, StoredJob, ReceiptEffect> {
    private static final long serialVersionUID = 2L;

    private final int part;
    private final String submitId;
    private final DeliveryReceipt.Status status;

    RecordReceipt(int part, String submitId, DeliveryReceipt.Status status) {
        this.part = part;
        this.submitId = submitId;
        this.status = status;
    }

    @Override
    public ReceiptEffect process(Map.Entry<String, StoredJob> entry) {
        SmsJob job = entry.getValue() == null ? null : JobCodec.decode(entry.getValue().data());
        if (job == null || part < 0 || part >= job.parts()) {
            return new ReceiptEffect(ReceiptEffect.Outcome.UNKNOWN_PART, null);
        }
        if (!submitId.isEmpty() && !submitId.equals(job.messageIds().get(part))) {
            // A second submission of the part (sent again after its lease lapsed): the job keeps the first
            // accepted id, and the part's state is that submission's receipt.
            return new ReceiptEffect(ReceiptEffect.Outcome.OTHER_SUBMISSION, job.state());
        }
        if (job.partStates().get(part).isFinal()) {
            return new ReceiptEffect(ReceiptEffect.Outcome.PART_ALREADY_FINAL, job.state());
        }
        SmsJob after = JobLifecycle.receipt(job, new JobEvent.Receipt(part, status), Instant.now());
        entry.setValue(new StoredJob(JobCodec.encode(after)));
        JobChange change = new JobChange(job, after);
        ReceiptEffect.Outcome outcome = change.becameFinal() ? ReceiptEffect.Outcome.MADE_FINAL
                : job.state().isFinal() ? ReceiptEffect.Outcome.JOB_ALREADY_FINAL : ReceiptEffect.Outcome.RECORDED;
        return new ReceiptEffect(outcome, after.state());
    }
}
