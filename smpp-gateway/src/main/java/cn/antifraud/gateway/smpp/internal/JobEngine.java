package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.smpp.SmppGatewayConfig;
import cn.antifraud.gateway.smpp.SmscConfig;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.ReceiptIdFormat;
import cn.antifraud.gateway.smpp.encoding.EncodedSms;
import cn.antifraud.gateway.smpp.encoding.SmsEncoder;
import cn.antifraud.gateway.registry.work.WorkStores;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Durable SMS jobs, assembled: a {@link JobStore} whose transitions are {@link JobLifecycle}'s, a
 * {@link JobDispatcher} that leases and sends, a {@link JobSweeper} that resumes what is due, and a
 * {@link ReceiptMatcher} that lands each delivery receipt on its one part.
 *
 * <p>All store calls run on the engine's bounded executor or on jsmpp's receiver threads, never on a
 * caller's thread.
 */
public final class JobEngine implements ReceiptListener {
    private final JobStore store;
    private final JobDispatcher dispatcher;
    private final JobSweeper sweeper;
    private final ReceiptMatcher matcher;
    private final ReceiptApplier receipts;
    private final JobMetrics metrics;
    private final SmsEncoder encoder;
    private volatile boolean stopped;

    /** @param stores the registry member's work stores, declared with {@link SmsWorkStores#ALL} */
    /** Leases and sends jobs only while {@code rule} holds (the registry quorum); see {@link JobDispatcher#dispatchOnlyWhen}. */
    public void dispatchOnlyWhen(java.util.function.BooleanSupplier rule) {
        dispatcher.dispatchOnlyWhen(rule);
    }

    public JobEngine(SmppGatewayConfig config, WorkStores stores, ExecutorService executor, MeterRegistry meters) {
        requireNonNull(config, "config");
        requireNonNull(stores, "stores");
        this.metrics = new JobMetrics(meters);
        this.encoder = new SmsEncoder(config.dataCoding());
        this.store = new JobStore(stores.open(SmsWorkStores.JOBS), stores.open(SmsWorkStores.OPEN_JOBS), LifecyclePolicy.of(config));
        Map<String, ReceiptIdFormat> formats = new HashMap<>();
        for (SmscConfig smsc : config.smscs()) {
            formats.put(smsc.name(), smsc.receiptIdFormat());
        }
        this.matcher = new ReceiptMatcher(formats, stores.open(SmsWorkStores.MESSAGE_IDS),
                stores.open(SmsWorkStores.EARLY_RECEIPTS), meters);
        this.receipts = new ReceiptApplier(store, metrics);
        this.dispatcher = new JobDispatcher(config, store, matcher, receipts, encoder, executor, metrics);
        this.sweeper = new JobSweeper(config, store, dispatcher, matcher, receipts, metrics, stores::ownershipVersion);
        // Summed over members these are the cluster's warning backlog and receipt delay; config/monitoring/ alerts on both.
        // While no bind is up the sweep passes once per smpp.housekeeping-while-down, so they may lag by that much.
        meters.gauge("smpp.jobs.pending", sweeper.pending());
        meters.gauge("smpp.jobs.awaiting_receipt.oldest.seconds", sweeper.oldestAwaitingReceiptSeconds());
        meters.gauge("smpp.jobs.deferred", dispatcher, JobDispatcher::deferredCount);
    }

    public void attach(BindPool bindPool) {
        dispatcher.attach(bindPool, () -> stopped);
    }

    /** Stops taking and retrying jobs; what is in flight completes and is recorded. */
    public void stop() {
        stopped = true;
    }

    /** After the binds drained: records the attempts still in flight, waiting up to {@code wait}. */
    public void close(java.time.Duration wait) {
        dispatcher.close(wait);
    }

    /** The encoder's view of a text: how many parts it needs (a job records this when created). */
    public EncodedSms encode(SmsJob job) {
        return encoder.encode(job.text(), job.kind(), job.reference());
    }

    /**
     * Stores a new job durably; completes once it is stored, and then works it at once if a bind is up. While
     * one is, the job is stored leased to this node ({@link JobDispatcher#leasedAtCreation}), which saves the
     * lease's own cluster operation.
     */
    public CompletableFuture<Void> store(SmsJob job) {
        SmsJob leased = dispatcher.leasedAtCreation(job, Instant.now());
        return store.create(leased).thenRun(() -> {
            metrics.created(job.kind());
            dispatcher.sendCreated(leased);
        });
    }

    /**
     * Stores new jobs durably in one database transaction (the batch intake's path); completes once all are
     * stored, and then works each at once if a bind is up. Blocks the caller for the database write.
     */
    public CompletableFuture<Void> storeAll(List<SmsJob> jobs) {
        if (jobs.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Instant now = Instant.now();
        List<SmsJob> leased = jobs.stream().map(job -> dispatcher.leasedAtCreation(job, now)).toList();
        return store.createAll(leased).thenRun(() -> {
            for (SmsJob job : leased) {
                metrics.created(job.kind());
                dispatcher.sendCreated(job);
            }
        });
    }

    public Optional<SmsJob> job(String id) {
        return Optional.ofNullable(store.get(id));
    }

    /** Looks at the jobs this member holds: dispatches what is due, repairs, expires and purges. */
    public void sweep() {
        sweep(Instant.now());
    }

    /** One sweep as at {@code now} (tests: a pass within {@code housekeepingWhileDown} of the last is skipped while no bind is up). */
    void sweep(Instant now) {
        if (!stopped) {
            sweeper.sweep(now);
        }
    }

    @Override
    public void onReceipt(String smsc, DeliveryReceipt receipt) {
        if (receipt.status() == DeliveryReceipt.Status.NOT_FINAL) {
            metrics.receiptNotFinal();
            return;
        }
        matcher.match(smsc, receipt).ifPresent(part -> receipts.apply(part, receipt.status()));
    }
}
