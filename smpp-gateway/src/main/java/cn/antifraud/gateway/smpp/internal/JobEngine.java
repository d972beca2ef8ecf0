package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.RetryPolicy;
import cn.antifraud.gateway.smpp.SmppGatewayConfig;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.encoding.EncodedSms;
import cn.antifraud.gateway.smpp.encoding.SmsEncoder;
import com.hazelcast.map.IMap;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works durable SMS jobs: takes a job under a lease (a compare-and-set on the job), sends its unsent parts,
 * records the message ids, and retries temporary failures with backoff up to the max age. Each node also
 * sweeps the jobs its member owns for due retries and for jobs whose lease lapsed (a dead node's), so
 * nothing waits on a node that is gone. Also matches delivery receipts to jobs.
 *
 * <p>All Hazelcast calls run on the engine's bounded executor or on jsmpp's receiver threads, never on a
 * caller's thread.
 */
public final class JobEngine implements ReceiptListener {
    private static final Logger LOG = LoggerFactory.getLogger(JobEngine.class);
    private static final String AMBIGUOUS = "AMBIGUOUS";
    private static final Duration EARLY_RECEIPT_TTL = Duration.ofHours(1);
    /**
     * How long a message id is kept for receipt matching. SMSCs reuse ids after a while, and a receipt later
     * than a few days is past any validity period an SMSC keeps.
     */
    private static final Duration MESSAGE_ID_TTL = Duration.ofDays(3);
    /** A SUBMITTED job this long without a receipt is checked for a receipt parked before a crash. */
    private static final Duration RECONCILE_AFTER = Duration.ofSeconds(10);

    private final SmppGatewayConfig config;
    private final IMap<String, StoredJob> jobs;
    private final IMap<String, StoredTarget> messageIds;
    private final IMap<String, StoredTarget> earlyReceipts;
    private final SmsEncoder encoder;
    private final ExecutorService executor;
    private final MeterRegistry meters;
    private volatile BindPool pool;
    private volatile boolean stopped;
    /** Jobs of this member not yet final, as counted by the last sweep: the warning backlog's share here. */
    private final AtomicLong pending = new AtomicLong();
    /** Seconds the oldest SUBMITTED job of this member has waited for its receipts, at the last sweep. */
    private final AtomicLong oldestAwaitingReceiptSeconds = new AtomicLong();

    public JobEngine(SmppGatewayConfig config, IMap<String, StoredJob> jobs, IMap<String, StoredTarget> messageIds,
                     IMap<String, StoredTarget> earlyReceipts, ExecutorService executor, MeterRegistry meters) {
        this.config = requireNonNull(config, "config");
        this.jobs = requireNonNull(jobs, "jobs");
        this.messageIds = requireNonNull(messageIds, "messageIds");
        this.earlyReceipts = requireNonNull(earlyReceipts, "earlyReceipts");
        this.executor = requireNonNull(executor, "executor");
        this.meters = requireNonNull(meters, "meters");
        this.encoder = new SmsEncoder(config.dataCoding());
        // Gauges filled by the sweep, which reads every local job anyway: a scrape costs no map reads.
        // Summed over members they are the cluster's backlog; config/monitoring/ alerts on both.
        meters.gauge("smpp.jobs.pending", pending);
        meters.gauge("smpp.jobs.awaiting_receipt.oldest.seconds", oldestAwaitingReceiptSeconds);
    }

    public void attach(BindPool bindPool) {
        this.pool = requireNonNull(bindPool, "bindPool");
    }

    /** Stops taking and retrying jobs; what is in flight completes and is recorded. */
    public void stop() {
        stopped = true;
    }

    /** The encoder's view of a text: how many parts it needs (a job records this when created). */
    public EncodedSms encode(SmsJob job) {
        return encoder.encode(job.text(), job.kind(), job.reference());
    }

    public SmsEncoder encoder() {
        return encoder;
    }

    /** Stores a new job durably; blocking, call on a pool thread. Then works it at once. */
    public void store(SmsJob job) {
        jobs.set(job.id(), stored(job));
        meters.counter("smpp.jobs.created", "kind", job.kind().name()).increment();
        if (!stopped) {
            try {
                executor.execute(() -> dispatch(job));
            } catch (RejectedExecutionException e) {
                meters.counter("smpp.jobs.dispatch_rejected").increment();
            }
        }
    }

    public Optional<SmsJob> job(String id) {
        return Optional.ofNullable(decoded(jobs.get(id)));
    }

    void dispatchSoon(String id) {
        if (stopped) {
            return;
        }
        try {
            executor.execute(() -> dispatch(id));
        } catch (RejectedExecutionException e) {
            // The sweep picks the job up; nothing is lost, it is only later.
            meters.counter("smpp.jobs.dispatch_rejected").increment();
        }
    }

    /** Looks at the jobs this member holds and works those that are due and not leased. */
    public void sweep() {
        if (stopped) {
            return;
        }
        Instant now = Instant.now();
        Instant purgeBefore = now.minus(config.jobRetention());
        long notFinal = 0;
        Instant oldestSubmitted = now;
        for (String id : jobs.localKeySet()) {
            StoredJob stored = jobs.get(id);
            SmsJob j = decoded(stored);
            if (j != null && !j.state().isFinal()) {
                notFinal++;
                if (j.state() == JobState.SUBMITTED && j.updatedAt().isBefore(oldestSubmitted)) {
                    oldestSubmitted = j.updatedAt();
                }
            }
            if (j != null && j.state().isFinal() && j.updatedAt().isBefore(purgeBefore)) {
                purge(id, stored);
            } else if (j != null && j.state() == JobState.QUEUED && !j.nextAttemptAt().isAfter(now) && j.leaseFree(now)) {
                if (!j.leaseOwner().isEmpty()) {
                    meters.counter("smpp.jobs.taken_over").increment();
                    LOG.info("job {}: lease of {} lapsed, taking it over", id, j.leaseOwner());
                }
                dispatchSoon(id);
            } else if (j != null && j.state() == JobState.SUBMITTED && j.updatedAt().isBefore(now.minus(RECONCILE_AFTER))) {
                reconcile(j);
                if (j.updatedAt().isBefore(now.minus(config.receiptTimeout()))) {
                    expireWithoutReceipt(id, now);
                }
            }
        }
        pending.set(notFinal);
        oldestAwaitingReceiptSeconds.set(Duration.between(oldestSubmitted, now).toSeconds());
    }

    /**
     * Removes a final job older than {@code smpp.job-retention} from the map and, write-through, from
     * the database: without it the job map (one entry per SMS) grows for as long as the gateway runs,
     * and every member's sweep reads all of its entries each second. Conditional on the value the sweep
     * read, so a job that changed meanwhile stays.
     */
    private void purge(String id, StoredJob stored) {
        if (jobs.remove(id, stored)) {
            meters.counter("smpp.jobs.purged").increment();
            LOG.debug("job {}: final for longer than {}, removed", id, config.jobRetention());
        }
    }

    /**
     * Repairs the window between recording a job's message ids and indexing them: a node killed there
     * leaves a SUBMITTED job whose ids are not indexed, and its receipt (acknowledged to the SMSC once
     * parked) waiting among the early receipts. Found by loadtest/faults/kill9_queued_jobs.py.
     */
    private void reconcile(SmsJob job) {
        for (int part = 0; part < job.messageIds().size(); part++) {
            String id = job.messageIds().get(part);
            String partState = job.partStates().get(part);
            if (id.isEmpty() || !(partState.isEmpty() || AMBIGUOUS.equals(partState))) {
                continue;
            }
            String key = job.smsc() + ":" + MessageIds.normalise(id);
            String target = job.id() + "#" + part;
            StoredTarget indexed = messageIds.putIfAbsent(key, new StoredTarget(target), MESSAGE_ID_TTL.toSeconds(),
                    TimeUnit.SECONDS);
            if (indexed == null) {
                meters.counter("smpp.receipts", "match", "reindexed").increment();
            } else if (!indexed.value().equals(target)) {
                // The SMSC reused this id for another submission since: its parked receipt is not ours.
                continue;
            }
            String early = StoredTarget.valueOf(earlyReceipts.remove(key));
            if (early != null) {
                meters.counter("smpp.receipts", "match", "recovered_after_crash").increment();
                applyReceipt(target, early);
            }
        }
    }

    private void dispatch(String id) {
        if (!stopped) {
            dispatch(decoded(jobs.get(id)));
        }
    }

    /** Works {@code job} if it is due and free; the lease's compare-and-set fails if the copy is stale. */
    private void dispatch(SmsJob job) {
        if (stopped || job == null) {
            return;
        }
        String id = job.id();
        Instant now = Instant.now();
        if (job == null || job.state() != JobState.QUEUED || job.nextAttemptAt().isAfter(now) || !job.leaseFree(now)) {
            return;
        }
        RetryPolicy retry = config.retryPolicy();
        if (now.isAfter(job.createdAt().plus(retry.maxAge()))) {
            update(id, j -> j.state() == JobState.QUEUED
                    ? j.afterAttempt(JobState.EXPIRED, j.messageIds(), "", 0, 0, 0, j.nextAttemptAt(),
                    "not submitted within " + retry.maxAge(), now) : j);
            meters.counter("smpp.jobs.final", "state", "EXPIRED").increment();
            return;
        }
        SmsJob leased = job.withLease(config.nodeId(), now.plus(config.jobLease()), now);
        if (!jobs.replace(id, stored(job), stored(leased))) {
            return;
        }
        send(leased);
    }

    private void send(SmsJob job) {
        EncodedSms sms;
        try {
            sms = encode(job);
        } catch (IllegalArgumentException e) {
            finish(job.id(), JobState.FAILED, "cannot encode: " + e.getMessage());
            return;
        }
        String destination = PhoneNumbers.parse(job.destination()).e164().substring(1);
        List<Integer> indexes = new ArrayList<>();
        List<CompletableFuture<BindPool.Sent>> sends = new ArrayList<>();
        for (int i = 0; i < sms.parts().size(); i++) {
            if (job.messageIds().get(i).isEmpty()) {
                SubmitPart part = new SubmitPart(config.source(), config.destinationTon(), config.destinationNpi(),
                        destination, sms.esmClass(), sms.dataCoding(), sms.parts().get(i));
                indexes.add(i);
                sends.add(pool.submit(part));
            }
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).whenCompleteAsync((ignored, error) -> {
            List<BindPool.Sent> results = new ArrayList<>();
            for (CompletableFuture<BindPool.Sent> f : sends) {
                results.add(f.join());
            }
            recordAttempt(job, indexes, results);
        }, executor);
    }

    private void recordAttempt(SmsJob sent, List<Integer> indexes, List<BindPool.Sent> results) {
        Instant now = Instant.now();
        RetryPolicy retry = config.retryPolicy();
        int ambiguous = 0;
        int resent = 0;
        boolean permanent = false;
        boolean onlyNoBind = true;
        String error = "";
        for (int k = 0; k < results.size(); k++) {
            SubmitOutcome o = results.get(k).outcome();
            if (o.kind() != SubmitOutcome.Kind.NO_BIND && AMBIGUOUS.equals(sent.partStates().get(indexes.get(k)))) {
                resent++;
            }
            switch (o.kind()) {
                case ACCEPTED -> { }
                case AMBIGUOUS -> { ambiguous++; onlyNoBind = false; error = o.detail(); }
                case PERMANENT -> { permanent = true; onlyNoBind = false; error = o.detail(); }
                case TEMPORARY -> { onlyNoBind = false; error = o.detail(); }
                case NO_BIND -> error = error.isEmpty() ? o.detail() : error;
            }
        }
        int ambiguousParts = ambiguous;
        int resentParts = resent;
        boolean anyPermanent = permanent;
        boolean waitingForBind = onlyNoBind;
        String lastError = error;
        SmsJob updated = update(sent.id(), current -> {
            List<String> ids = new ArrayList<>(current.messageIds());
            List<String> marks = new ArrayList<>(current.partStates());
            String smsc = "";
            for (int k = 0; k < results.size(); k++) {
                int part = indexes.get(k);
                SubmitOutcome o = results.get(k).outcome();
                if (o.kind() == SubmitOutcome.Kind.ACCEPTED) {
                    ids.set(part, o.messageId());
                    smsc = results.get(k).smsc();
                }
                // A part is "possibly at the SMSC" from a response timeout until it reaches the SMSC again.
                if (o.kind() == SubmitOutcome.Kind.AMBIGUOUS) {
                    marks.set(part, AMBIGUOUS);
                } else if (o.kind() != SubmitOutcome.Kind.NO_BIND && AMBIGUOUS.equals(marks.get(part))) {
                    marks.set(part, "");
                }
            }
            SmsJob marked = new SmsJob(current.id(), current.warningId(), current.destination(), current.kind(),
                    current.text(), current.reference(), current.createdAt(), current.state(), current.messageIds(),
                    marks, current.smsc(), current.attempts(), current.ambiguous(), current.resentAfterTimeout(),
                    current.nextAttemptAt(), current.leaseOwner(), current.leaseUntil(), current.lastError(), now);
            if (current.state().isFinal()) {
                return marked.afterAttempt(current.state(), ids, smsc, 0, ambiguousParts, resentParts,
                        current.nextAttemptAt(), current.lastError(), now);
            }
            if (!ids.contains("")) {
                return marked.afterAttempt(JobState.SUBMITTED, ids, smsc, 0, ambiguousParts, resentParts, now, "", now);
            }
            if (anyPermanent) {
                return marked.afterAttempt(JobState.FAILED, ids, smsc, 1, ambiguousParts, resentParts, now, lastError, now);
            }
            if (ambiguousParts > 0 && !retry.retryAfterTimeout()) {
                return marked.afterAttempt(JobState.FAILED, ids, smsc, 1, ambiguousParts, resentParts, now,
                        lastError + "; not resent after a response timeout (retry policy)", now);
            }
            Duration delay = waitingForBind ? config.sweepInterval() : retry.backoff().delay(current.attempts());
            Instant next = now.plus(delay);
            if (next.isAfter(current.createdAt().plus(retry.maxAge()))) {
                return marked.afterAttempt(JobState.EXPIRED, ids, smsc, 1, ambiguousParts, resentParts, next,
                        lastError + "; max age " + retry.maxAge() + " reached", now);
            }
            return marked.afterAttempt(JobState.QUEUED, ids, smsc, waitingForBind ? 0 : 1, ambiguousParts, resentParts,
                    next, lastError, now);
        });
        if (updated == null) {
            return;
        }
        if (ambiguousParts > 0) {
            meters.counter("smpp.jobs.ambiguous_timeouts").increment(ambiguousParts);
        }
        if (resentParts > 0) {
            meters.counter("smpp.jobs.resent_after_timeout").increment(resentParts);
        }
        indexMessageIds(sent.id(), indexes, results);
        if (updated.state() == JobState.QUEUED) {
            meters.counter("smpp.jobs.retries", "reason", waitingForBind ? "no_bind" : "temporary").increment();
            scheduleRetry(updated);
        } else {
            meters.counter("smpp.jobs.attempt", "state", updated.state().name()).increment();
            if (updated.state() == JobState.DELIVERED) {
                // A receipt that overtook its submit_sm_resp finished the job on the submit path: normal.
                LOG.debug("job {} to {}: DELIVERED", updated.id(), updated.destination());
            } else if (updated.state().isFinal()) {
                LOG.warn("job {} to {}: {} ({})", updated.id(), updated.destination(), updated.state(), updated.lastError());
            }
        }
    }

    private void scheduleRetry(SmsJob job) {
        long delay = Math.max(0, Duration.between(Instant.now(), job.nextAttemptAt()).toMillis());
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, executor).execute(() -> dispatch(job.id()));
    }

    private void indexMessageIds(String jobId, List<Integer> indexes, List<BindPool.Sent> results) {
        for (int k = 0; k < results.size(); k++) {
            SubmitOutcome o = results.get(k).outcome();
            if (o.kind() != SubmitOutcome.Kind.ACCEPTED) {
                continue;
            }
            String target = jobId + "#" + indexes.get(k);
            String key = results.get(k).smsc() + ":" + MessageIds.normalise(o.messageId());
            messageIds.set(key, new StoredTarget(target), MESSAGE_ID_TTL.toSeconds(), TimeUnit.SECONDS);
            String early = StoredTarget.valueOf(earlyReceipts.remove(key));
            if (early != null) {
                meters.counter("smpp.receipts", "match", "before_submit_resp").increment();
                applyReceipt(target, early);
            }
        }
    }

    @Override
    public void onReceipt(String smsc, DeliveryReceipt receipt) {
        if (receipt.status() == DeliveryReceipt.Status.NOT_FINAL) {
            meters.counter("smpp.receipts", "match", "not_final").increment();
            return;
        }
        Set<String> keys = new LinkedHashSet<>();
        for (String spelling : MessageIds.spellings(receipt.messageId())) {
            keys.add(smsc + ":" + spelling);
        }
        String target = lookup(keys);
        if (target == null) {
            // The receipt overtook the submit_sm_resp (or its recording): park it under every spelling the
            // submit side may index, then look again, so one of the two sides always sees the other.
            for (String key : keys) {
                earlyReceipts.set(key, new StoredTarget(receipt.status().name()), EARLY_RECEIPT_TTL.toSeconds(), TimeUnit.SECONDS);
            }
            target = lookup(keys);
            if (target == null) {
                meters.counter("smpp.receipts", "match", "parked").increment();
                return;
            }
            boolean stillParked = false;
            for (String key : keys) {
                stillParked |= earlyReceipts.remove(key) != null;
            }
            if (!stillParked) {
                return;
            }
        }
        meters.counter("smpp.receipts", "match", "matched").increment();
        applyReceipt(target, receipt.status().name());
    }

    private String lookup(Set<String> keys) {
        for (String key : keys) {
            String target = StoredTarget.valueOf(messageIds.get(key));
            if (target != null) {
                return target;
            }
        }
        return null;
    }

    private void applyReceipt(String target, String status) {
        int hash = target.lastIndexOf('#');
        String jobId = target.substring(0, hash);
        int part = Integer.parseInt(target.substring(hash + 1));
        SmsJob after = jobs.executeOnKey(jobId, new RecordReceipt(part, status));
        if (after != null && after.state().isFinal()) {
            meters.counter("smpp.jobs.final", "state", after.state().name()).increment();
        }
    }

    /** A SUBMITTED job whose receipt never came: EXPIRED, unless a receipt made it final meanwhile. */
    private void expireWithoutReceipt(String id, Instant now) {
        String error = "no delivery receipt within " + config.receiptTimeout();
        SmsJob after = update(id, j -> j.state() != JobState.SUBMITTED ? j
                : j.afterAttempt(JobState.EXPIRED, j.messageIds(), "", 0, 0, 0, j.nextAttemptAt(), error, now));
        if (after != null && after.state() == JobState.EXPIRED) {
            meters.counter("smpp.jobs.final", "state", JobState.EXPIRED.name()).increment();
            meters.counter("smpp.receipts", "match", "timed_out").increment();
            LOG.warn("job {} to {}: EXPIRED ({})", id, after.destination(), error);
        }
    }

    private void finish(String id, JobState state, String error) {
        Instant now = Instant.now();
        update(id, j -> j.afterAttempt(state, j.messageIds(), "", 0, 0, 0, j.nextAttemptAt(), error, now));
        meters.counter("smpp.jobs.final", "state", state.name()).increment();
    }

    private static StoredJob stored(SmsJob job) {
        return new StoredJob(JobCodec.encode(job));
    }

    private static SmsJob decoded(StoredJob stored) {
        return stored == null ? null : JobCodec.decode(stored.data());
    }

    /** Compare-and-set loop: applies {@code change} to the current value until no one else wrote in between. */
    private SmsJob update(String id, UnaryOperator<SmsJob> change) {
        for (int tries = 0; tries < 100; tries++) {
            StoredJob stored = jobs.get(id);
            if (stored == null) {
                return null;
            }
            SmsJob current = JobCodec.decode(stored.data());
            SmsJob next = change.apply(current);
            if (next.equals(current) || jobs.replace(id, stored, stored(next))) {
                return next;
            }
        }
        throw new IllegalStateException("job " + id + " kept changing under 100 updates");
    }
}
