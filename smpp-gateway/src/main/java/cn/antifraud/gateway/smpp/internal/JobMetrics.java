package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.encoding.SmsKind;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * The job engine's counters, in one place so their names stay consistent. {@code smpp.jobs.final} is
 * counted only on the transition that made a job final ({@link JobChange#becameFinal()}), so over a run it
 * equals the number of jobs that ended.
 */
final class JobMetrics {
    private final MeterRegistry meters;

    JobMetrics(MeterRegistry meters) {
        this.meters = requireNonNull(meters, "meters");
    }

    void created(SmsKind kind) {
        meters.counter("smpp.jobs.created", "kind", kind.name()).increment();
    }

    void finalState(SmsJob job) {
        finalState(job.state());
    }

    void finalState(JobState state) {
        meters.counter("smpp.jobs.final", "state", state.name()).increment();
    }

    void attempted(JobChange change) {
        SmsJob before = change.before();
        SmsJob after = change.after();
        int ambiguous = after.ambiguous() - before.ambiguous();
        int resent = after.resentAfterTimeout() - before.resentAfterTimeout();
        if (ambiguous > 0) {
            meters.counter("smpp.jobs.ambiguous_timeouts").increment(ambiguous);
        }
        if (resent > 0) {
            meters.counter("smpp.jobs.resent_after_timeout").increment(resent);
        }
        if (after.state() == JobState.QUEUED) {
            meters.counter("smpp.jobs.retries", "reason", after.attempts() > before.attempts() ? "temporary" : "no_bind").increment();
        } else {
            meters.counter("smpp.jobs.attempt", "state", after.state().name()).increment();
        }
    }

    /** What a receipt did, as {@code smpp.receipts{match=...}} beside the matcher's own counts. */
    void receipt(ReceiptEffect effect) {
        meters.counter("smpp.receipts", "match", effect.outcome().name().toLowerCase(Locale.ROOT)).increment();
    }

    void receiptNotFinal() {
        meters.counter("smpp.receipts", "match", "not_final").increment();
    }

    void receiptOverdue() {
        meters.counter("smpp.receipts", "match", "timed_out").increment();
    }

    /** A dispatch or sweep that sent nothing because this member has no registry quorum. */
    void dispatchWithoutQuorum() {
        meters.counter("smpp.jobs.dispatch_refused", "reason", "no_quorum").increment();
    }

    void dispatchRejected() {
        meters.counter("smpp.jobs.dispatch_rejected").increment();
    }

    /** A due job deferred until the binds' queues have room (no lease, no write; {@code JobDispatcher#releaseDeferred}). */
    void dispatchDeferred() {
        meters.counter("smpp.jobs.dispatch_deferred", "reason", "bind_queues_full").increment();
    }

    void takenOver() {
        meters.counter("smpp.jobs.taken_over").increment();
    }

    /**
     * One sweep round: a pass over the jobs not yet final ({@code open_jobs}), a housekeeping pass over every
     * job ({@code full}, or {@code housekeeping_only} without dispatch while no bind is up), or none while
     * waiting for a bind.
     */
    void sweep(String pass) {
        meters.counter("smpp.sweeps", "pass", pass).increment();
    }

    /** Jobs a sweep pass read: what a pass costs ({@code pass}: open_jobs or housekeeping). */
    void sweepRead(boolean housekeeping, long jobs) {
        meters.counter("smpp.sweep.jobs_read", "pass", housekeeping ? "housekeeping" : "open_jobs").increment(jobs);
    }

    /** A job not yet final that the housekeeping pass found missing from the open-jobs index (restart, lost partition). */
    void openIndexRepaired() {
        meters.counter("smpp.sweep.open_index_repaired").increment();
    }

    void purged() {
        meters.counter("smpp.jobs.purged").increment();
    }
}
