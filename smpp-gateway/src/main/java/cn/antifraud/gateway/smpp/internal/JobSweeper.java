package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.work.WorkStores;
import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.PartState;
import cn.antifraud.gateway.smpp.SmppGatewayConfig;
import cn.antifraud.gateway.smpp.SmsJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each node's periodic pass over the jobs its member owns: dispatches due retries and jobs whose lease
 * lapsed (a dead node's), repairs receipts a crash left unmatched, expires jobs whose receipt never came,
 * and removes final jobs past retention.
 *
 * <p>Two kinds of pass. The one each {@code smpp.sweep-interval} (a second) reads only the jobs not yet final,
 * through the open-jobs index ({@link SmsWorkStores#OPEN_JOBS}): its cost follows the backlog, not the days of
 * final jobs kept for {@code smpp.job-retention} (before, every pass read every job: at a million kept jobs a
 * pass took longer than its interval). The housekeeping pass, once per {@code smpp.housekeeping-while-down}
 * (default 5 minutes), first at start and again whenever jobs may have changed hands (a member joined or
 * left, a partition migrated), reads every job: it removes final jobs past retention and puts back
 * the index entries of jobs not yet final that a full restart or a lost partition took.
 *
 * <p>While no bind is up, queued jobs wait untouched (no dispatch, no write): only the housekeeping pass
 * runs, which is what keeps an SMSC outage cheap with thousands of warnings queued.
 */
final class JobSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(JobSweeper.class);
    /** A SUBMITTED job this long without a receipt is checked for a receipt parked before a crash. */
    private static final Duration RECONCILE_AFTER = Duration.ofSeconds(10);
    /**
     * Jobs read per bulk read: one cluster operation per partition it touches (271 by default), so a few
     * thousand keys each carry a dozen, where a read per key cost a round trip to the partition thread each
     * (at 40,000 open jobs in a burst, 8% of the gateway's CPU).
     */
    static final int READ_CHUNK = 4096;

    private final SmppGatewayConfig config;
    private final JobStore store;
    private final JobDispatcher dispatcher;
    private final ReceiptMatcher matcher;
    private final ReceiptApplier receipts;
    private final JobMetrics metrics;
    /** When the last housekeeping pass (every job read) ran; EPOCH: the first pass is one. */
    private volatile Instant lastHousekeeping = Instant.EPOCH;
    /** The stores' ownership version the last housekeeping pass started at ({@link WorkStores#ownershipVersion}). */
    private volatile long ownershipSeen = Long.MIN_VALUE;
    private final LongSupplier ownership;
    /** Jobs of this member not yet final, as counted by the last pass: the warning backlog's share here. */
    private final AtomicLong pending = new AtomicLong();
    /** Seconds the oldest SUBMITTED job of this member had waited for its receipts, at the last pass. */
    private final AtomicLong oldestAwaitingReceiptSeconds = new AtomicLong();

    /** @param ownership {@link WorkStores#ownershipVersion}: a change makes the next pass a housekeeping one */
    JobSweeper(SmppGatewayConfig config, JobStore store, JobDispatcher dispatcher, ReceiptMatcher matcher,
               ReceiptApplier receipts, JobMetrics metrics, LongSupplier ownership) {
        this.ownership = requireNonNull(ownership, "ownership");
        this.config = requireNonNull(config, "config");
        this.store = requireNonNull(store, "store");
        this.dispatcher = requireNonNull(dispatcher, "dispatcher");
        this.matcher = requireNonNull(matcher, "matcher");
        this.receipts = requireNonNull(receipts, "receipts");
        this.metrics = requireNonNull(metrics, "metrics");
    }

    /**
     * Whether an index entry without its job is a leftover (a crash, a purge) rather than a job this member is
     * creating right now: read again after the check, since a creation that ended in between wrote the job.
     */
    private boolean leftover(String id) {
        return !store.creating(id) && store.get(id) == null;
    }

    /** One pass; called from one thread at a time (the gateway's sweep keeps a single pass pending). */
    void sweep(Instant now) {
        boolean canSend = dispatcher.canSend();
        // Also after jobs changed hands (a member joined or died): a job moved here without its index entry (a
        // full restart, the previous release, a crash between a job's two writes) is then indexed within a pass.
        long owned = ownership.getAsLong();
        boolean housekeeping = !now.isBefore(lastHousekeeping.plus(config.housekeepingWhileDown())) || owned != ownershipSeen;
        if (!canSend && !housekeeping) {
            metrics.sweep("waiting_for_bind");
            return;
        }
        metrics.sweep(housekeeping ? (canSend ? "full" : "housekeeping_only") : "open_jobs");
        if (housekeeping) {
            lastHousekeeping = now;
            ownershipSeen = owned;
        }
        if (canSend) {
            dispatcher.releaseDeferred(JobDispatcher.RELEASE_PER_SWEEP);
        }
        dispatcher.forgetLapsedCreations(now);
        Set<String> open = store.localOpenIds();
        Set<String> ids = housekeeping ? store.localIds() : open;
        Instant purgeBefore = now.minus(config.jobRetention());
        long notFinal = 0;
        long read = 0;
        Instant oldestSubmitted = null;
        List<String> toRead = new ArrayList<>(ids.size());
        for (String id : ids) {
            if (!housekeeping && dispatcher.inFlight(id)) {
                // Being dispatched, sent or waiting for room here: open, and nothing for this pass to do (in a
                // burst, most jobs). The housekeeping pass reads them all the same.
                notFinal++;
            } else {
                toRead.add(id);
            }
        }
        for (int from = 0; from < toRead.size(); from += READ_CHUNK) {
            List<String> chunk = toRead.subList(from, Math.min(toRead.size(), from + READ_CHUNK));
            Map<String, SmsJob> jobs = store.getAll(chunk);
            read += chunk.size();
            for (String id : chunk) {
                SmsJob job = jobs.get(id);
                if (!visit(id, job, open, housekeeping, canSend, now, purgeBefore)) {
                    continue;
                }
                notFinal++;
                if (job.state() == JobState.SUBMITTED && (oldestSubmitted == null || job.updatedAt().isBefore(oldestSubmitted))) {
                    oldestSubmitted = job.updatedAt();
                }
            }
        }
        metrics.sweepRead(housekeeping, read);
        // The gauges come from the pass that reads every job not yet final anyway: a scrape costs no map reads.
        pending.set(notFinal);
        oldestAwaitingReceiptSeconds.set(oldestSubmitted == null ? 0 : Math.max(0, Duration.between(oldestSubmitted, now).toSeconds()));
    }

    /** What one pass does for one job as read ({@code job} null: gone); returns whether the job is not yet final. */
    private boolean visit(String id, SmsJob job, Set<String> open, boolean housekeeping, boolean canSend, Instant now,
                          Instant purgeBefore) {
        if (job == null || job.state().isFinal()) {
            if (open.contains(id) && (job != null || leftover(id))) {
                // Left by a node stopped between the transition that made the job final (or its purge) and this.
                store.markClosed(id);
            }
            if (job != null && housekeeping && job.updatedAt().isBefore(purgeBefore)
                    && store.removeIf(id, j -> j.updatedAt().isBefore(purgeBefore))) {
                metrics.purged();
                LOG.debug("job {}: final for longer than {}, removed", id, config.jobRetention());
            }
            return false;
        }
        // A job being created here may be read before its entry is written: not a loss. markOpen is false
        // when the entry came meanwhile. (A creation on another member can still be counted, harmlessly.)
        if (housekeeping && !open.contains(id) && !store.creating(id) && store.markOpen(id)) {
            metrics.openIndexRepaired();
        }
        if (JobLifecycle.dispatchable(job, dispatcher.leaseOwner(), now)) {
            if (canSend) {
                dispatcher.dispatchSoon(id);
            }
        } else if (job.state() == JobState.SUBMITTED && job.updatedAt().isBefore(now.minus(RECONCILE_AFTER))) {
            reconcile(job);
            if (job.updatedAt().isBefore(now.minus(config.receiptTimeout()))) {
                expireWithoutReceipt(id);
            }
        }
        return true;
    }

    /** Jobs of this member not yet final at the last pass (gauge {@code smpp.jobs.pending}). */
    AtomicLong pending() {
        return pending;
    }

    /** Seconds the oldest SUBMITTED job had waited at the last pass (gauge {@code smpp.jobs.awaiting_receipt.oldest.seconds}). */
    AtomicLong oldestAwaitingReceiptSeconds() {
        return oldestAwaitingReceiptSeconds;
    }

    /**
     * Repairs the window between recording a job's message ids and indexing them: a node killed there leaves
     * a SUBMITTED job whose ids are not indexed, and its receipt (acknowledged to the SMSC once parked)
     * waiting among the parked receipts. Found by loadtest/faults/kill9_queued_jobs.py.
     */
    private void reconcile(SmsJob job) {
        for (int part = 0; part < job.parts(); part++) {
            if (job.partStates().get(part) == PartState.SUBMITTED) {
                PartRef ref = new PartRef(job.id(), part, job.messageIds().get(part));
                matcher.reindex(job.smsc(), job.messageIds().get(part), ref, status -> receipts.apply(ref, status));
            }
        }
    }

    private void expireWithoutReceipt(String id) {
        JobChange change = store.apply(id, new JobEvent.ReceiptOverdue(), Instant::now);
        if (change.becameFinal()) {
            metrics.finalState(change.after());
            metrics.receiptOverdue();
            LOG.warn("job {} to {}: EXPIRED ({})", id, change.after().destination(), change.after().lastError());
        }
    }
}
