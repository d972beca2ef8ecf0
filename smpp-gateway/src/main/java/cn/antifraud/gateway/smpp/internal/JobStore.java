package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.smpp.SmsJob;
import com.hazelcast.map.IMap;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The jobs in their cluster map: each stored transition is {@link JobLifecycle#apply} under a compare-and-set
 * on the encoded value, so a transition computed from a stale copy is retried on the fresh one and two
 * nodes never both apply theirs. Blocking: call on the engine's executor or a jsmpp receiver thread.
 */
final class JobStore {
    private static final int MAX_TRIES = 100;

    private final IMap<String, StoredJob> jobs;
    private final LifecyclePolicy policy;

    JobStore(IMap<String, StoredJob> jobs, LifecyclePolicy policy) {
        this.jobs = requireNonNull(jobs, "jobs");
        this.policy = requireNonNull(policy, "policy");
    }

    /** Writes a new job; completes once it is stored (written through to the database). */
    CompletableFuture<Void> create(SmsJob job) {
        return jobs.setAsync(job.id(), new StoredJob(JobCodec.encode(job))).toCompletableFuture();
    }

    SmsJob get(String id) {
        StoredJob stored = jobs.get(id);
        return stored == null ? null : JobCodec.decode(stored.data());
    }

    /** The ids of the jobs this member owns (its partitions): each node sweeps its own. */
    Set<String> localIds() {
        return jobs.localKeySet();
    }

    /** Applies {@code event} to the job as stored, retrying on concurrent writes; writes nothing when it changes nothing. */
    JobChange apply(String id, JobEvent event, Supplier<Instant> clock) {
        for (int tries = 0; tries < MAX_TRIES; tries++) {
            StoredJob stored = jobs.get(id);
            if (stored == null) {
                return JobChange.GONE;
            }
            SmsJob before = JobCodec.decode(stored.data());
            SmsJob after = JobLifecycle.apply(before, event, policy, clock.get());
            if (after == before || jobs.replace(id, stored, new StoredJob(JobCodec.encode(after)))) {
                return new JobChange(before, after);
            }
        }
        throw new IllegalStateException("job " + id + " kept changing under " + MAX_TRIES + " updates");
    }

    ReceiptEffect recordReceipt(PartRef part, DeliveryReceipt.Status status) {
        return jobs.executeOnKey(part.jobId(), new RecordReceipt(part.part(), part.submitId(), status));
    }

    /** Removes the job if {@code condition} holds for it as stored; a job that changes meanwhile stays. */
    boolean removeIf(String id, Predicate<SmsJob> condition) {
        StoredJob stored = jobs.get(id);
        return stored != null && condition.test(JobCodec.decode(stored.data())) && jobs.remove(id, stored);
    }
}
