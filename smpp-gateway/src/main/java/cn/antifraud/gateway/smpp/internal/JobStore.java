package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.work.Transition;
import cn.antifraud.gateway.registry.work.Updated;
import cn.antifraud.gateway.registry.work.WorkStore;
import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.SmsJob;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The jobs in their work store: each stored transition is {@link JobLifecycle#apply} under the store's
 * compare-and-set, so a transition computed from a stale copy is retried on the fresh one and two nodes
 * never both apply theirs. Blocking: call on the engine's executor or a jsmpp receiver thread.
 *
 * <p>It also keeps the open-jobs index ({@link SmsWorkStores#OPEN_JOBS}): an entry is written with its job,
 * and removed after the transition that made the job final, so a crash in between leaves an entry too many
 * (the sweep drops it); a job not yet final without one (a full restart, a lost partition, a crash between
 * the two writes of a creation) is indexed again by the sweep's housekeeping pass.
 */
final class JobStore {
    private final WorkStore<SmsJob> jobs;
    private final WorkStore<String> open;
    private final LifecyclePolicy policy;
    /** Ids of the jobs this member is writing now, with their index entries ({@link #createAll}). */
    private final Set<String> creating = ConcurrentHashMap.newKeySet();
    /** Receipts of one job take turns ({@link #recordReceipt}); striped, far more stripes than receipt threads. */
    private final Object[] receiptTurns = new Object[1024];

    JobStore(WorkStore<SmsJob> jobs, WorkStore<String> open, LifecyclePolicy policy) {
        this.jobs = requireNonNull(jobs, "jobs");
        this.open = requireNonNull(open, "open");
        this.policy = requireNonNull(policy, "policy");
        for (int i = 0; i < receiptTurns.length; i++) {
            receiptTurns[i] = new Object();
        }
    }

    /** Writes a new job; completes once it is stored (written through to the database). */
    CompletableFuture<Void> create(SmsJob job) {
        return createAll(List.of(job));
    }

    /** Writes new jobs, durable in one database transaction; completes once all are stored. */
    CompletableFuture<Void> createAll(List<SmsJob> batch) {
        Map<String, SmsJob> byId = new LinkedHashMap<>();
        Map<String, String> opened = new LinkedHashMap<>();
        for (SmsJob job : batch) {
            byId.put(job.id(), job);
            opened.put(job.id(), "");
        }
        creating.addAll(byId.keySet());
        // Both at once: the index entry is cluster memory only (no commit), and one after the other they put a
        // round trip to the partition thread into every warning's answer. A job whose entry a crash lost is
        // dispatched anyway (the engine dispatches each new job at once) and indexed by the housekeeping pass.
        // Meanwhile one may be there without the other: the sweep leaves such a job alone (see creating).
        CompletableFuture<Void> indexed = open.createAll(opened);
        return jobs.createAll(byId).thenCombine(indexed, (a, b) -> (Void) null)
                .whenComplete((ok, failed) -> creating.removeAll(byId.keySet()));
    }

    /**
     * Whether this member is writing {@code id}'s job and index entry now: either may be there without the
     * other, and neither is a leftover to repair (found by {@code OpenJobsSweepTest} beside stress-ng: the
     * housekeeping pass indexed jobs being created, and could close the entry of a job not yet written).
     */
    boolean creating(String id) {
        return creating.contains(id);
    }

    /** The ids of this member's jobs not yet final (its share of the open-jobs index). */
    Set<String> localOpenIds() {
        return open.localKeys();
    }

    /** Adds {@code id} to the open-jobs index (the housekeeping pass found it missing); false when it was there. */
    boolean markOpen(String id) {
        return open.putIfAbsent(id, "", Duration.ZERO) == null;
    }

    /**
     * Drops {@code id} from the open-jobs index: its job is final or gone. Not waited for (the receipt thread
     * that made the job final does not park for it): an entry a failure leaves is dropped by the sweep, which
     * finds its job final.
     */
    void markClosed(String id) {
        open.removeAsync(id);
    }

    SmsJob get(String id) {
        return jobs.get(id);
    }

    /** The jobs of {@code ids} that exist, in one cluster operation per partition (the sweep's bulk read). */
    Map<String, SmsJob> getAll(java.util.Collection<String> ids) {
        return jobs.getAll(ids);
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
        JobChange change = applyInMemory(id, event, clock).awaitCommit();
        closeIfFinal(change);
        return change;
    }

    /**
     * As {@link #apply}, returning once the change is in cluster memory, with the future of its commit; the
     * caller calls {@link #closeIfFinal} after the commit (a cluster operation, not for the journal's thread).
     */
    Updated<JobChange> applyInMemory(String id, JobEvent event, Supplier<Instant> clock) {
        return jobs.updateInMemory(id, before -> {
            if (before == null) {
                return Transition.Result.unchanged(null, JobChange.GONE);
            }
            SmsJob after = JobLifecycle.apply(before, event, policy, clock.get());
            JobChange made = new JobChange(before, after);
            boolean leaseOnly = event instanceof JobEvent.Dispatch && after.state() == JobState.QUEUED;
            return leaseOnly ? Transition.Result.inMemoryOnly(after, made) : new Transition.Result<>(after, made);
        });
    }

    /** Drops the job from the open-jobs index when {@code change} made it final (after its commit). */
    void closeIfFinal(JobChange change) {
        if (change.becameFinal()) {
            markClosed(change.after().id());
        }
    }

    /**
     * Records a receipt on its part. The receipts of one job's parts come together (the SMSC sends each part's
     * a fixed time after its submit, and the parts go out at once), each on its own jsmpp thread: updated at the
     * same time, both took this member's last write of the job as the stored value, one compare-and-set failed
     * and read the job again, two cluster operations more. So receipts of one job take turns here until their
     * change is in cluster memory (not for its commit): the second then starts from the first's write.
     */
    ReceiptEffect recordReceipt(PartRef part, DeliveryReceipt.Status status) {
        Updated<ReceiptEffect> updated;
        synchronized (receiptTurns[Math.floorMod(part.jobId().hashCode(), receiptTurns.length)]) {
            updated = jobs.updateInMemory(part.jobId(), new RecordReceipt(part.part(), part.submitId(), status));
        }
        ReceiptEffect effect = updated.awaitCommit();
        if (effect.outcome() == ReceiptEffect.Outcome.MADE_FINAL) {
            markClosed(part.jobId());
        }
        return effect;
    }

    /** Removes the job if {@code condition} holds for it as stored; a job that changes meanwhile stays. */
    boolean removeIf(String id, Predicate<SmsJob> condition) {
        return jobs.removeIf(id, condition);
    }
}
