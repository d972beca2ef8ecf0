package cn.antifraud.gateway.smpp.internal;

import cn.antifraud.gateway.smpp.SmsJob;
import com.hazelcast.map.EntryProcessor;
import java.time.Instant;
import java.util.Map;

/**
 * Records one part's receipt on the member that owns the job, in one round trip and without the
 * read-compare-write retries a receipt would otherwise race with the submit side's updates.
 */
final class RecordReceipt implements EntryProcessor<String, StoredJob, SmsJob> {
    private static final long serialVersionUID = 1L;

    private final int part;
    private final String state;

    RecordReceipt(int part, String state) {
        this.part = part;
        this.state = state;
    }

    @Override
    public SmsJob process(Map.Entry<String, StoredJob> entry) {
        SmsJob job = entry.getValue() == null ? null : JobCodec.decode(entry.getValue().data());
        if (job == null || part >= job.parts()) {
            return null;
        }
        SmsJob updated = job.withReceipt(part, state, Instant.now());
        entry.setValue(new StoredJob(JobCodec.encode(updated)));
        return updated;
    }
}
