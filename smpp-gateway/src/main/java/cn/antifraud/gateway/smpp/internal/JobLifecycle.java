package cn.antifraud.gateway.smpp.internal;

import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.PartState;
import cn.antifraud.gateway.smpp.SmsJob;
import java.time.Duration;
import java.time.Instant;

/**
 * The job lifecycle as one pure function, {@code (job, event, policy, now) -> job}: no I/O, no clock, no
 * cluster, so every transition is unit-tested (JobLifecycleTest); the retry backoff's jitter is its only
 * randomness. An event that does not apply to the job as
 * it stands returns the same instance, which callers take as "nothing to write".
 *
 * <p>The rules: a part is final by its receipt (SMPP 3.4 Appendix B); a job is final once all its parts are:
 * FAILED if one part failed, else EXPIRED if one expired, else DELIVERED. Deciding only then makes the job's
 * state independent of the order in which its parts' receipts arrive. At the receipt timeout a job is
 * FAILED if a part failed, else EXPIRED. Retry max-age counts from the first attempt that reached an
 * SMSC; a job that never reached one waits for a bind up to hold-while-down from its creation, so an outage
 * alone does not expire warnings. An attempt that found no bind changes nothing but the lease.
 */
public final class JobLifecycle {
    private JobLifecycle() {
    }

    public static SmsJob apply(SmsJob job, JobEvent event, LifecyclePolicy policy, Instant now) {
        if (event instanceof JobEvent.Dispatch d) {
            return dispatch(job, d, policy, now);
        } else if (event instanceof JobEvent.Attempted a) {
            return attempted(job, a, policy, now);
        } else if (event instanceof JobEvent.Receipt r) {
            return receipt(job, r, now);
        } else if (event instanceof JobEvent.ReceiptOverdue) {
            return receiptOverdue(job, policy, now);
        } else if (event instanceof JobEvent.EncodingFailed f) {
            return job.state().isFinal() ? job
                    : job.toBuilder().state(JobState.FAILED).noLease().lastError("cannot encode: " + f.detail()).build(now);
        }
        throw new IllegalArgumentException("unknown job event " + event);
    }

    /**
     * Whether {@code owner}'s dispatch would take the job now: QUEUED, due, and not leased by another live
     * owner. A lease {@code owner} holds already is renewed: a job is created leased to the process that
     * sends it at once (one cluster operation less per SMS), and when that process found no room and deferred
     * it, its later dispatch must not wait for its own lease to lapse. An owner is one process's incarnation
     * ({@code JobDispatcher}), so two dispatches never share one; within a process the dispatcher lets only one
     * thread work a job at a time.
     */
    public static boolean dispatchable(SmsJob job, String owner, Instant now) {
        return job.state() == JobState.QUEUED && !job.nextAttemptAt().isAfter(now)
                && (job.leaseFree(now) || job.leaseOwner().equals(owner));
    }

    private static SmsJob dispatch(SmsJob job, JobEvent.Dispatch d, LifecyclePolicy policy, Instant now) {
        if (!dispatchable(job, d.owner(), now)) {
            return job;
        }
        if (!job.everAttempted() && now.isAfter(job.createdAt().plus(policy.holdWhileDown()))) {
            return job.toBuilder().state(JobState.EXPIRED).noLease()
                    .lastError("no SMSC bind within hold-while-down " + policy.holdWhileDown()).build(now);
        }
        return job.toBuilder().lease(d.owner(), d.until()).build(now);
    }

    private static SmsJob attempted(SmsJob job, JobEvent.Attempted a, LifecyclePolicy policy, Instant now) {
        SmsJob.Builder b = job.toBuilder().noLease();
        int ambiguous = 0;
        int resent = 0;
        boolean permanent = false;
        boolean reached = false;
        String error = "";
        for (JobEvent.PartAttempt p : a.parts()) {
            if (p.part() < 0 || p.part() >= job.parts()) {
                continue;
            }
            PartState before = job.partStates().get(p.part());
            if (p.kind() != SubmitOutcome.Kind.NO_BIND) {
                reached = true;
                if (before == PartState.AMBIGUOUS) {
                    resent++;
                }
            }
            switch (p.kind()) {
                case ACCEPTED -> {
                    if (!job.messageIds().get(p.part()).isEmpty()) {
                        // Accepted twice: a node whose lease lapsed and the node that took over both sent it.
                        // The first recorded id stays the part's (its receipt decides); the second is a duplicate.
                        resent++;
                    } else {
                        b.messageId(p.part(), p.messageId()).smsc(p.smsc());
                        if (!before.isFinal()) {
                            b.partState(p.part(), PartState.SUBMITTED);
                        }
                    }
                }
                case AMBIGUOUS -> {
                    b.partState(p.part(), PartState.AMBIGUOUS);
                    ambiguous++;
                    error = p.detail();
                }
                case PERMANENT -> {
                    b.partState(p.part(), PartState.PENDING);
                    permanent = true;
                    error = p.detail();
                }
                case TEMPORARY -> {
                    b.partState(p.part(), PartState.PENDING);
                    error = p.detail();
                }
                case NO_BIND -> error = error.isEmpty() ? p.detail() : error;
            }
        }
        b.moreAmbiguous(ambiguous).moreResent(resent);
        Instant first = job.everAttempted() ? job.firstAttemptAt() : reached ? now : Instant.EPOCH;
        b.firstAttemptAt(first);
        if (job.state().isFinal()) {
            return b.build(now);
        }
        if (!b.messageIds().contains("")) {
            return settle(b.state(JobState.SUBMITTED).lastError("").nextAttemptAt(now)).build(now);
        }
        if (permanent) {
            return b.state(JobState.FAILED).moreAttempts(1).lastError(error).build(now);
        }
        if (ambiguous > 0 && !policy.retry().retryAfterTimeout()) {
            return b.state(JobState.FAILED).moreAttempts(1)
                    .lastError(error + "; not resent after a response timeout (retry policy)").build(now);
        }
        if (!reached) {
            // No bind: not an attempt. The sweep dispatches it again once a bind is up.
            return b.state(JobState.QUEUED).nextAttemptAt(now).lastError(error).build(now);
        }
        Duration delay = policy.retry().backoff().delay(job.attempts());
        Instant next = now.plus(delay);
        if (next.isAfter(first.plus(policy.retry().maxAge()))) {
            return b.state(JobState.EXPIRED).moreAttempts(1)
                    .lastError(error + "; max age " + policy.retry().maxAge() + " reached").build(now);
        }
        return b.state(JobState.QUEUED).moreAttempts(1).nextAttemptAt(next).lastError(error).build(now);
    }

    /** The receipt transition alone, which needs no policy (run inside the job's owner by {@link RecordReceipt}). */
    static SmsJob receipt(SmsJob job, JobEvent.Receipt r, Instant now) {
        PartState state = switch (r.status()) {
            case DELIVERED -> PartState.DELIVERED;
            case EXPIRED -> PartState.EXPIRED;
            case FAILED -> PartState.FAILED;
            case NOT_FINAL -> null;
        };
        if (state == null || r.part() < 0 || r.part() >= job.parts() || job.partStates().get(r.part()).isFinal()) {
            return job;
        }
        SmsJob.Builder b = job.toBuilder().partState(r.part(), state);
        return (job.state().isFinal() ? b : settle(b)).build(now);
    }

    /** Once every part is final: FAILED if one failed, else EXPIRED if one expired, else DELIVERED. */
    private static SmsJob.Builder settle(SmsJob.Builder b) {
        if (!b.partStates().stream().allMatch(PartState::isFinal)) {
            return b;
        }
        if (b.partStates().contains(PartState.FAILED)) {
            return b.state(JobState.FAILED);
        }
        if (b.partStates().contains(PartState.EXPIRED)) {
            return b.state(JobState.EXPIRED);
        }
        return b.state(JobState.DELIVERED);
    }

    private static SmsJob receiptOverdue(SmsJob job, LifecyclePolicy policy, Instant now) {
        if (job.state() != JobState.SUBMITTED || job.updatedAt().plus(policy.receiptTimeout()).isAfter(now)) {
            return job;
        }
        JobState end = job.partStates().contains(PartState.FAILED) ? JobState.FAILED : JobState.EXPIRED;
        return job.toBuilder().state(end)
                .lastError("no delivery receipt within " + policy.receiptTimeout() + " for every part").build(now);
    }
}
