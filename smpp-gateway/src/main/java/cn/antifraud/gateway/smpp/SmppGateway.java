package cn.antifraud.gateway.smpp;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.ContactEventLog;
import cn.antifraud.gateway.smpp.internal.BindPool;
import cn.antifraud.gateway.smpp.internal.ContactEventConsumer;
import cn.antifraud.gateway.smpp.internal.DefaultWarningService;
import cn.antifraud.gateway.smpp.internal.SmsWorkStores;
import cn.antifraud.gateway.smpp.internal.JobEngine;
import cn.antifraud.gateway.smpp.template.WarningTemplates;
import cn.antifraud.gateway.registry.work.WorkStoreSpec;
import cn.antifraud.gateway.registry.work.WorkStores;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 12381 warning SMS gateway (SMPP 3.4 ESME): binds from config, durable jobs in the registry cluster,
 * receipts, and the {@link WarningService} the admin API calls. Construct, {@link #start()}, and
 * {@link #close()} on shutdown: it stops taking work, lets in-flight submits finish, and unbinds; jobs
 * not yet sent stay in the cluster for the next node or the next start.
 */
public final class SmppGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmppGateway.class);
    /** The work stores the gateway keeps its jobs and warnings in; the registry member must declare them at start. */
    public static final List<WorkStoreSpec<?>> WORK_STORES = SmsWorkStores.ALL;
    /**
     * Dispatch (each lease waits for a database commit), batch intake and the sweep. The work stores' journal
     * shares a commit among every write waiting at the moment, so more threads waiting means more writes per
     * commit, not more commits; with 4 the leases bounded the rate.
     */
    private static final int ENGINE_THREADS = 32;
    private static final int ENGINE_QUEUE = 100_000;

    private final SmppGatewayConfig config;
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService scheduler;
    private final JobEngine engine;
    private final BindPool pool;
    private final DefaultWarningService warnings;
    private final MeterRegistry meters;
    private final AtomicBoolean sweepPending = new AtomicBoolean();

    /**
     * @param config    validated config
     * @param templates validated templates
     * @param stores    the work stores of a registry member started with {@link #WORK_STORES}
     * @param family    family contacts for tier-2 warnings, normally {@code registry::familyContacts}
     * @param meters    where metrics go
     */
    public SmppGateway(SmppGatewayConfig config, WarningTemplates templates, WorkStores stores,
                       FamilyContactSource family, MeterRegistry meters) {
        this(config, templates, stores, family, meters, () -> true);
    }

    /**
     * As above, sending jobs only while {@code mayDispatchWork} holds: the registry member's quorum
     * ({@code RegistryQuorum::mayDispatchWork}), so that a member cut off by a split sends nothing the
     * majority could send too (issue 13).
     */
    public SmppGateway(SmppGatewayConfig config, WarningTemplates templates, WorkStores stores,
                       FamilyContactSource family, MeterRegistry meters, java.util.function.BooleanSupplier mayDispatchWork) {
        this.config = requireNonNull(config, "config");
        requireNonNull(templates, "templates");
        requireNonNull(stores, "stores");
        requireNonNull(family, "family");
        this.meters = requireNonNull(meters, "meters");
        this.executor = new ThreadPoolExecutor(ENGINE_THREADS, ENGINE_THREADS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(ENGINE_QUEUE), daemon("smpp-jobs"));
        this.scheduler = Executors.newScheduledThreadPool(2, daemon("smpp-supervisor"));
        this.engine = new JobEngine(config, stores, executor, meters);
        engine.dispatchOnlyWhen(requireNonNull(mayDispatchWork, "mayDispatchWork"));
        this.pool = new BindPool(config, scheduler, engine, meters);
        engine.attach(pool);
        this.warnings = new DefaultWarningService(config, templates, family, engine, stores, executor, meters);
        meters.gauge("smpp.jobs.executor.queue", executor, e -> e.getQueue().size());
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Opens every bind and starts the sweep that resumes queued jobs, this node's and dead nodes'. */
    public void start() {
        pool.start();
        long sweep = config.sweepInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::submitSweep, sweep, sweep, TimeUnit.MILLISECONDS);
        // Warning records expire by themselves (created with a time-to-live of job-retention). The purge, which
        // reads every warning record, only removes those an earlier release stored without one: once a day.
        long purgeEvery = DefaultWarningService.LEGACY_PURGE_EVERY.toMillis();
        long firstPurge = config.housekeepingWhileDown().toMillis();
        scheduler.scheduleWithFixedDelay(() -> runSafely("warning purge", () -> executor.execute(
                () -> warnings.purgeExpired(java.time.Instant.now()))), firstPurge, purgeEvery, TimeUnit.MILLISECONDS);
        LOG.info("SMPP gateway started: {}", config);
    }

    /**
     * One sweep at a time: under a burst the job executor's queue holds thousands of dispatches, and a
     * sweep submitted every interval would queue behind them again and again (each then reading every
     * job). A sweep that cannot be queued is skipped and counted, not logged each second.
     */
    private void submitSweep() {
        if (!sweepPending.compareAndSet(false, true)) {
            meters.counter("smpp.sweeps.skipped", "reason", "previous_pending").increment();
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    engine.sweep();
                } catch (RuntimeException e) {
                    LOG.warn("sweep round failed: {}", e.toString());
                } finally {
                    sweepPending.set(false);
                }
            });
        } catch (RejectedExecutionException full) {
            sweepPending.set(false);
            meters.counter("smpp.sweeps.skipped", "reason", "executor_full").increment();
        }
    }

    /** Turns contact events from the SIP proxy into warnings of their tier (1 at the INVITE, 2 after a long answered call), polling every sweep interval. */
    public void consumeContactEvents(ContactEventLog log) {
        requireNonNull(log, "log");
        ContactEventConsumer c = new ContactEventConsumer(log, warnings, config.nodeId(), config.jobLease(), meters);
        long every = config.sweepInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> runSafely("contact events", c::poll), 0, every, TimeUnit.MILLISECONDS);
    }

    private static void runSafely(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // A failed round must not cancel the periodic task; the next round tries again.
            LOG.warn("{} round failed: {}", what, e.toString());
        }
    }

    public WarningService warnings() {
        return warnings;
    }

    /** One entry per bind; a wrong password shows as AUTH_FAILED with the SMSC's error. */
    public List<BindHealth> health() {
        return pool.health();
    }

    /** A job by id, for the admin API; blocking (one map read). */
    public Optional<SmsJob> job(String id) {
        return engine.job(id);
    }

    @Override
    public void close() {
        engine.stop();
        scheduler.shutdownNow();
        pool.close();
        engine.close(config.drainTimeout());
        executor.shutdown();
        try {
            if (!executor.awaitTermination(config.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        LOG.info("SMPP gateway closed");
    }
}
