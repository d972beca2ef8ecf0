package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.work.Transition;
import cn.antifraud.gateway.registry.work.WorkStore;
import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.SmsJob;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The jobs in their work store: each stored transition is {@link JobLifecycle#apply} under the store's
 * compare-and-set, so a transition computed from a stale copy is retried on the fresh one and two nodes
 * never both apply theirs. Blocking: call on the engine's executor or a jsmpp receiver thread.
 */
final class JobStore {
    private final WorkStore<SmsJob> jobs;
    private final LifecyclePolicy policy;

    JobStore(WorkStore<SmsJob> jobs, LifecyclePolicy policy) {
        this.jobs = requireNonNull(jobs, "jobs");
        this.policy = requireNonNull(policy, "policy");
    }

    /** Writes a new job; completes once it is stored (written through to the database). */
    CompletableFuture<Void> create(SmsJob job) {
        return jobs.create(job.id(), job);
    }

    /** Writes new jobs, durable in one database transaction; completes once all are stored. */
    CompletableFuture<Void> createAll(List<SmsJob> batch) {
        Map<String, SmsJob> byId = new LinkedHashMap<>();
        for (SmsJob job : batch) {
            byId.put(job.id(), job);
        }
        return jobs.createAll(byId);
    }

    SmsJob get(String id) {
        return jobs.get(id);
    }

    /** The ids of the jobs this member owns (its partitions): each node sweeps its own. */
    Set<String> localIds() {
        return jobs.localKeys();
    }

    /**
     * Applies {@code event} to the job as stored, retrying on concurrent writes; writes nothing when it changes
     * nothing. A lease (a {@link JobEvent.Dispatch} that leaves the job queued) stays in cluster memory, not in
     * the database: it keeps two live members from sending one job at once, and after a whole-cluster restart
     * its owner is gone too, so the job reloads as due, as a lapsed lease would leave it. That saves one of
     * the seven database rows a tier-1 warning costs.
     */
    JobChange apply(String id, JobEvent event, Supplier<Instant> clock) {
        return jobs.update(id, before -> {
            if (before == null) {
                return Transition.Result.unchanged(null, JobChange.GONE);
            }
            SmsJob after = JobLifecycle.apply(before, event, policy, clock.get());
            JobChange change = new JobChange(before, after);
            boolean leaseOnly = event instanceof JobEvent.Dispatch && after.state() == JobState.QUEUED;
            return leaseOnly ? Transition.Result.inMemoryOnly(after, change) : new Transition.Result<>(after, change);
        });
    }

    ReceiptEffect recordReceipt(PartRef part, DeliveryReceipt.Status status) {
        return jobs.update(part.jobId(), new RecordReceipt(part.part(), part.submitId(), status));
    }

    /** Removes the job if {@code condition} holds for it as stored; a job that changes meanwhile stays. */
    boolean removeIf(String id, Predicate<SmsJob> condition) {
        return jobs.removeIf(id, condition);
    }
}
