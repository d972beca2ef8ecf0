package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.SmppGatewayConfig;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.encoding.EncodedSms;
import cn.antifraud.gateway.smpp.encoding.SmsEncoder;
import cn.antifraud.gateway.registry.work.Updated;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases a due job, sends its unsent parts on the bind pool (SMPP 3.4 §4.4 submit_sm), and records the
 * outcome as one {@link JobEvent.Attempted} transition; then indexes the accepted parts' message ids for
 * their receipts. While no bind is up it does nothing at all: no lease, no write, no retry timer; the
 * sweep dispatches again once a bind is up.
 */
final class JobDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(JobDispatcher.class);

    private final SmppGatewayConfig config;
    private final JobStore store;
    private final ReceiptMatcher matcher;
    private final ReceiptApplier receipts;
    private final SmsEncoder encoder;
    private final ExecutorService executor;
    private final JobMetrics metrics;
    /** Ids waiting in the executor for a dispatch: a sweep does not queue a job again while it waits. */
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    /**
     * Jobs a thread of this node is leasing, or has sent and not yet recorded: each claimed here before its
     * lease, so one thread at a time works a job. Their parts may wait in a bind's queue for longer than the
     * lease (thousands queued after an outage); this node must not take its own job over meanwhile, or it
     * sends the parts again. Another node still takes a lapsed lease over, as it must when this node dies.
     */
    private final Set<String> sending = ConcurrentHashMap.newKeySet();
    /**
     * Jobs found due while the binds' queues were full, oldest first, each at most once ({@link #deferredIds}):
     * released as room frees (after each recorded attempt, whose parts left a queue) and by the sweep. Before,
     * such a job was left for the sweep's next pass, which read every one of them each second to find them
     * again (at 40,000 queued in a burst, most of the sweep's reads) and sent them only once a second.
     */
    private final Queue<String> deferred = new ConcurrentLinkedQueue<>();
    private final Set<String> deferredIds = ConcurrentHashMap.newKeySet();
    /**
     * Copies kept at most: a burst's backlog beyond it is sent with a lease renewal each, as before the
     * creation lease (about 600 bytes a job, some 20 MB of heap).
     */
    private static final int MAX_CREATED_COPIES = 32_768;
    /** Jobs created here leased to this process and not yet sent, as stored ({@link #takeCreated}). */
    private final Map<String, SmsJob> created = new ConcurrentHashMap<>();
    /**
     * Finishes recorded attempts once their commit is in (metrics, the retry timer, the open-jobs index), apart
     * from the dispatch queue: after an outage thousands of dispatches wait there. The attempt itself is
     * recorded in cluster memory by the thread that got the submit_sm_resp ({@link #recordAttempt}); nothing
     * here waits for a commit, so a few threads keep up.
     */
    private final ExecutorService recorder = Executors.newFixedThreadPool(RECORDER_THREADS, new NamedThreads("smpp-job-recorder"));
    private static final int RECORDER_THREADS = 2;
    /** Deferred jobs released after a recorded attempt at most: more than its parts free room for, so a queue drained meanwhile refills. */
    private static final int RELEASE_AFTER_ATTEMPT = 8;
    /** Deferred jobs released by one sweep pass at most (after an outage, the binds' queues are empty). */
    static final int RELEASE_PER_SWEEP = 1024;
    /**
     * This process's name on its leases: the node id and a number drawn at start. Two processes started with
     * one node id by mistake then still exclude each other, although an owner renews its own lease
     * ({@link JobLifecycle#dispatchable}).
     */
    private final String leaseOwner;
    private volatile BindPool pool;
    private volatile BooleanSupplier stopped = () -> false;
    private volatile BooleanSupplier mayDispatchWork = () -> true;

    JobDispatcher(SmppGatewayConfig config, JobStore store, ReceiptMatcher matcher, ReceiptApplier receipts,
                  SmsEncoder encoder, ExecutorService executor, JobMetrics metrics) {
        this.config = requireNonNull(config, "config");
        this.store = requireNonNull(store, "store");
        this.matcher = requireNonNull(matcher, "matcher");
        this.receipts = requireNonNull(receipts, "receipts");
        this.encoder = requireNonNull(encoder, "encoder");
        this.executor = requireNonNull(executor, "executor");
        this.metrics = requireNonNull(metrics, "metrics");
        this.leaseOwner = config.nodeId() + "#" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    }

    /** The owner this process's leases carry. */
    String leaseOwner() {
        return leaseOwner;
    }

    /**
     * {@code job}, new and not yet stored, leased to this process when it can send now: it is then sent with
     * {@link #sendCreated} without a lease of its own, one cluster operation less per SMS. Otherwise the job
     * as it is (the sweep dispatches it once a bind is up).
     */
    SmsJob leasedAtCreation(SmsJob job, Instant now) {
        BindPool p = pool;
        boolean sendable = p != null && p.anyBound() && !stopped.getAsBoolean() && mayDispatchWork.getAsBoolean();
        return sendable ? job.toBuilder().lease(leaseOwner, now.plus(config.jobLease())).build(now) : job;
    }

    /**
     * Dispatches a job just stored; one {@link #leasedAtCreation} is kept here as stored, and its dispatch
     * sends it without a lease of its own ({@link #takeCreated}).
     */
    void sendCreated(SmsJob job) {
        String id = job.id();
        if (job.leaseOwner().equals(leaseOwner) && created.size() < MAX_CREATED_COPIES) {
            created.put(id, job);
        }
        if (!dispatchSoon(id, null) && !waiting.contains(id)) {
            // Not queued (stopped, or the executor full): the sweep dispatches it the usual way.
            created.remove(id);
        }
    }

    /**
     * Under the claim on {@code id}: the job as created here, if it is still the job as stored, else null. It
     * is while its lease, taken at creation, has more than half its time left: nobody else changes a queued
     * job leased to this process, and every thread here that changes one holds the claim and has taken the
     * copy out first (a dispatch that renews the lease instead, or sends it). With less, the lease is renewed
     * by a compare-and-set before the job goes out (a long queue), as any dispatch's.
     */
    private SmsJob takeCreated(String id, Instant now) {
        SmsJob job = created.remove(id);
        return job != null && now.isBefore(job.leaseUntil().minus(config.jobLease().dividedBy(2))) ? job : null;
    }

    /** Forgets the copies whose lease has lapsed (their jobs' partitions moved away, or no bind came up). */
    void forgetLapsedCreations(Instant now) {
        created.values().removeIf(job -> job.leaseUntil().isBefore(now));
    }

    void attach(BindPool bindPool, BooleanSupplier isStopped) {
        this.pool = requireNonNull(bindPool, "bindPool");
        this.stopped = requireNonNull(isStopped, "isStopped");
    }

    /**
     * Only while {@code rule} holds does this member lease and send jobs: the registry quorum
     * ({@code RegistryQuorum#mayDispatchWork}), so that a member cut off from the majority does not send
     * jobs the majority may also send. Its jobs' leases lapse and the majority takes them over.
     */
    void dispatchOnlyWhen(BooleanSupplier rule) {
        this.mayDispatchWork = requireNonNull(rule, "rule");
    }

    /** Whether a submit could go out now; the sweep and dispatch leave jobs alone while not. */
    boolean canSend() {
        BindPool p = pool;
        if (p == null || !p.anyBound() || stopped.getAsBoolean()) {
            return false;
        }
        if (!mayDispatchWork.getAsBoolean()) {
            metrics.dispatchWithoutQuorum();
            return false;
        }
        return true;
    }

    /**
     * Whether this node is dispatching or sending {@code id} now (queued for a dispatch, or sent and not yet
     * recorded): the sweep has nothing to do for such a job (a dispatch would be refused), so it need not read it.
     */
    boolean inFlight(String id) {
        return waiting.contains(id) || sending.contains(id) || deferredIds.contains(id);
    }

    /** Jobs waiting for room in the binds' queues (gauge {@code smpp.jobs.deferred}). */
    int deferredCount() {
        return deferredIds.size();
    }

    /**
     * Dispatches deferred jobs, oldest first, up to {@code max}, each with its queue room already held
     * ({@link BindPool#tryReserve}), for as long as there is room. Called after everything that frees room:
     * each recorded attempt (its parts left a queue), each dispatch giving back the room it held, each
     * deferral (the room may have freed between its failed reservation and its queueing), and each sweep. So
     * whatever frees room last also releases; found by FullBindQueuesTest without a sweep, beside stress-ng,
     * where a dispatch's thread gave its room back after its job had been answered and recorded, and the
     * deferred jobs waited for a sweep. Holding the room here, not in the dispatch that runs later, keeps two
     * released jobs from finding the room the other took.
     */
    void releaseDeferred(int max) {
        BindPool p = pool;
        if (p == null || !canSend()) {
            return;
        }
        for (int i = 0; i < max && !deferred.isEmpty(); i++) {
            if (!p.tryReserve()) {
                return;
            }
            String id = deferred.poll();
            if (id == null) {
                p.release();
                return;
            }
            deferredIds.remove(id);
            if (!dispatchSoon(id, p)) {
                p.release();
            }
        }
    }

    /** Dispatches on the executor; a full executor is counted, and the sweep picks the job up later. */
    void dispatchSoon(String id) {
        dispatchSoon(id, null);
    }

    /**
     * As {@link #dispatchSoon(String)}, with the room {@code reserved} from (null: none held yet); false when
     * the dispatch was not queued, and then the caller still holds that room.
     */
    private boolean dispatchSoon(String id, BindPool reserved) {
        if (stopped.getAsBoolean() || !waiting.add(id)) {
            return false;
        }
        try {
            executor.execute(() -> {
                waiting.remove(id);
                dispatch(id, reserved);
            });
            return true;
        } catch (RejectedExecutionException e) {
            waiting.remove(id);
            metrics.dispatchRejected();
            return false;
        }
    }

    /** Records the attempts still in flight (waiting up to {@code wait}), then ends the recorder's threads. */
    void close(Duration wait) {
        recorder.shutdown();
        try {
            if (!recorder.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                recorder.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            recorder.shutdownNow();
        }
    }

    /**
     * Takes the job under a lease if it is due and free, and sends it. While the binds' queues are full it
     * defers the job as it is, without a lease or a write, until room frees ({@link #releaseDeferred}).
     * The room is held from before the lease until the parts are queued ({@link BindPool#tryReserve}): checked
     * but not held, the 32 dispatch threads all saw the same room while their leases ran, and then sent into
     * full queues (7% of the jobs of a 40,000-warning burst came back NO_BIND and were retried).
     */
    void dispatch(String id) {
        dispatch(id, null);
    }

    /** As {@link #dispatch(String)}, with the room held in {@code reserved} already (null: not yet held). */
    private void dispatch(String id, BindPool reserved) {
        BindPool p = reserved != null ? reserved : pool;
        boolean held = reserved != null;
        try {
            // The claim first: one thread of this process works a job at a time, which is what lets a
            // dispatch renew this process's own lease (JobLifecycle.dispatchable).
            if (!canSend() || !sending.add(id)) {
                return;
            }
            boolean sent = false;
            try {
                SmsJob fromCreation = takeCreated(id, Instant.now());
                if (!held && !p.tryReserve()) {
                    if (fromCreation != null) {
                        created.put(id, fromCreation);
                    }
                    metrics.dispatchDeferred();
                    if (deferredIds.add(id)) {
                        deferred.add(id);
                    }
                    // Queued first, then the room tried again: what held it may have ended (releasing what
                    // was deferred then) between the failed reservation and the line above.
                    releaseDeferred(1);
                    return;
                }
                held = true;
                sent = fromCreation != null ? sendLeased(fromCreation) : leaseAndSend(id);
            } finally {
                if (!sent) {
                    sending.remove(id);
                }
            }
        } finally {
            if (held) {
                p.release();
                // Always, sent or not: a job sent can be answered and recorded (its own release finding this
                // room still held) before this thread gets here; without this, the last release was lost.
                releaseDeferred(1);
            }
        }
    }

    /** Sends a job this process leased already (at its creation); true when it went to {@link #send}. */
    private boolean sendLeased(SmsJob job) {
        if (!mayDispatchWork.getAsBoolean()) {
            metrics.dispatchWithoutQuorum();
            return false;
        }
        send(job);
        return true;
    }

    /**
     * Leases and sends the job, if it is due and free (or leased to this process already); true when it went
     * to {@link #send}, which then ends the claim on {@link #sending} when the attempt is recorded.
     */
    private boolean leaseAndSend(String id) {
        Instant now = Instant.now();
        JobChange change = store.apply(id, new JobEvent.Dispatch(leaseOwner, now.plus(config.jobLease())), Instant::now);
        if (!change.changed()) {
            return false;
        }
        if (change.becameFinal()) {
            metrics.finalState(change.after());
            LOG.warn("job {} to {}: {} ({})", id, change.after().destination(), change.after().state(), change.after().lastError());
            return false;
        }
        String before = change.before().leaseOwner();
        if (!before.isEmpty() && !before.equals(leaseOwner)) {
            metrics.takenOver();
            LOG.info("job {}: lease of {} lapsed, taken over", id, before);
        }
        if (!mayDispatchWork.getAsBoolean()) {
            // The quorum went between the check and the lease: leave the job; its lease lapses.
            metrics.dispatchWithoutQuorum();
            return false;
        }
        send(change.after());
        return true;
    }

    /** Queues the job's unsent parts; a job that cannot be encoded is FAILED instead. */
    private void send(SmsJob job) {
        EncodedSms sms;
        try {
            sms = encoder.encode(job.text(), job.kind(), job.reference());
        } catch (IllegalArgumentException e) {
            sending.remove(job.id());
            record(store.apply(job.id(), new JobEvent.EncodingFailed(e.getMessage()), Instant::now));
            return;
        }
        String destination = PhoneNumbers.parse(job.destination()).e164().substring(1);
        List<Integer> indexes = new ArrayList<>();
        List<SubmitPart> unsent = new ArrayList<>();
        for (int i = 0; i < sms.parts().size(); i++) {
            if (job.messageIds().get(i).isEmpty()) {
                indexes.add(i);
                unsent.add(new SubmitPart(config.source(), config.destinationTon(), config.destinationNpi(),
                        destination, sms.esmClass(), sms.dataCoding(), sms.parts().get(i)));
            }
        }
        List<CompletableFuture<BindPool.Sent>> sends = pool.submitTogether(unsent);
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            List<JobEvent.PartAttempt> attempts = new ArrayList<>();
            for (int k = 0; k < sends.size(); k++) {
                BindPool.Sent s = sends.get(k).join();
                SubmitOutcome o = s.outcome();
                attempts.add(new JobEvent.PartAttempt(indexes.get(k), o.kind(), o.messageId() == null ? "" : o.messageId(),
                        s.smsc(), o.detail()));
            }
            recordAttempt(job.id(), attempts);
        });
    }

    /**
     * Records the attempt in cluster memory and indexes the accepted parts' ids at once, on the thread that got
     * the last submit_sm_resp; what follows the commit runs on the recorder. Before, the whole record waited in
     * the recorder's queue and for the commit: behind a burst that took longer than node-smpp's 200 ms from
     * submit to receipt, so 98% of the receipts of a 10,000-warning burst found no part, and each was parked
     * and claimed back (two more database rows and four more cluster operations).
     */
    private void recordAttempt(String jobId, List<JobEvent.PartAttempt> attempts) {
        Updated<JobChange> updated;
        try {
            updated = store.applyInMemory(jobId, new JobEvent.Attempted(attempts), Instant::now);
            if (updated.answer().after() != null) {
                indexAccepted(jobId, attempts);
            }
        } catch (RuntimeException e) {
            // The lease lapses and the job is sent again: the parts the SMSC accepted may then go twice.
            sending.remove(jobId);
            LOG.error("job {}: recording the attempt failed ({}); the job is retried when its lease lapses", jobId, e.toString());
            releaseDeferred(RELEASE_AFTER_ATTEMPT);
            return;
        }
        updated.committed().whenCompleteAsync((ok, failed) -> {
            try {
                if (failed != null) {
                    LOG.warn("job {}: the attempt is in cluster memory, its database commit failed ({}); the job's next"
                            + " write carries it", jobId, failed.toString());
                }
                afterAttempt(updated.answer());
            } finally {
                sending.remove(jobId);
                // Its parts have left a bind's queue: room for the jobs that found none.
                releaseDeferred(RELEASE_AFTER_ATTEMPT);
            }
        }, recorder);
    }

    private void afterAttempt(JobChange change) {
        if (change.after() == null) {
            return;
        }
        store.closeIfFinal(change);
        metrics.attempted(change);
        record(change);
        SmsJob after = change.after();
        if (after.state() == JobState.QUEUED && after.everAttempted()) {
            scheduleRetry(after);
        }
    }

    private void indexAccepted(String jobId, List<JobEvent.PartAttempt> attempts) {
        List<ReceiptMatcher.Accepted> accepted = new ArrayList<>(attempts.size());
        for (JobEvent.PartAttempt a : attempts) {
            if (a.kind() == SubmitOutcome.Kind.ACCEPTED) {
                PartRef part = new PartRef(jobId, a.part(), a.messageId());
                accepted.add(new ReceiptMatcher.Accepted(a.smsc(), a.messageId(), part, status -> receipts.apply(part, status)));
            }
        }
        if (!accepted.isEmpty()) {
            matcher.indexAccepted(accepted);
        }
    }

    private void record(JobChange change) {
        if (change.becameFinal()) {
            metrics.finalState(change.after());
            SmsJob j = change.after();
            if (j.state() == JobState.DELIVERED) {
                // A receipt that overtook its submit_sm_resp finished the job on the submit path: normal.
                LOG.debug("job {} to {}: DELIVERED", j.id(), j.destination());
            } else {
                LOG.warn("job {} to {}: {} ({})", j.id(), j.destination(), j.state(), j.lastError());
            }
        }
    }

    private void scheduleRetry(SmsJob job) {
        long delay = Math.max(0, Duration.between(Instant.now(), job.nextAttemptAt()).toMillis());
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, executor).execute(() -> dispatch(job.id()));
    }
}
