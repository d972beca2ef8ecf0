package cn.antifraud.gateway.smpp.internal;

import cn.antifraud.gateway.registry.work.WorkCodec;
import cn.antifraud.gateway.registry.work.WorkStoreSpec;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.WarningRecord;
import java.util.List;

/**
 * The SMS gateway's work stores. The jobs, warnings, parked receipts and dedup entries are durable (written
 * through to the registry database); each durable one that existed before takes over at its first start the
 * {@code durable.*} map the previous release kept, so an upgrade loses no queued job. The message-id index
 * lives in cluster memory (with backups) only: it can be rebuilt from the jobs, and the sweep does
 * ({@link JobSweeper}: a SUBMITTED job without a receipt for 10 s is indexed again, and a receipt parked
 * meanwhile is applied), so after a full restart a receipt waits for that repair instead of being lost,
 * and each accepted part costs one database write less.
 */
public final class SmsWorkStores {
    /**
     * Jobs whose last own write a member remembers: more than the jobs a node has in flight at thousands of
     * warnings per second with receipts after seconds; at about 600 bytes a job, some 10 MB of heap.
     */
    static final int RECENT_JOBS = 16_384;
    /**
     * Job id → {@link SmsJob}. A job's transitions (lease, submit, receipts) mostly run on the member that wrote
     * the one before, so each member remembers its own last writes of {@link #RECENT_JOBS} jobs: a transition
     * then costs one cluster operation, not two.
     */
    public static final WorkStoreSpec<SmsJob> JOBS = WorkStoreSpec.durable("sms-jobs", SmsJobCodec.INSTANCE)
            .upgradingFrom("durable.sms-jobs").rememberingOwnWrites(SmsWorkStores.RECENT_JOBS);
    /**
     * "smsc:receipt id" → "job id#part" ({@link PartRef}); entries live {@link ReceiptMatcher#INDEX_TTL}. Cluster
     * memory only (see the class comment); the rows an earlier release wrote expire in the database.
     */
    public static final WorkStoreSpec<String> MESSAGE_IDS = WorkStoreSpec.clusterMemory("sms-message-ids", WorkCodec.utf8());
    /**
     * Job id → "" for each job not yet final: the sweep's per-second pass reads these jobs only, not every job
     * kept for {@code smpp.job-retention} (days of final jobs: a million at 2 warnings/s). Keyed like
     * {@link #JOBS}, so an entry lives in its job's partition, on the member that owns the job. Cluster memory
     * only: the sweep's housekeeping pass, which reads every job, adds the entries a full restart or a lost
     * partition took ({@link JobSweeper}).
     */
    public static final WorkStoreSpec<String> OPEN_JOBS = WorkStoreSpec.clusterMemory("sms-open-jobs", WorkCodec.utf8());
    /** "smsc:receipt id" → receipt status of a receipt that came before its part was indexed. */
    public static final WorkStoreSpec<String> EARLY_RECEIPTS = WorkStoreSpec.durable("sms-early-receipts", WorkCodec.utf8())
            .upgradingFrom("durable.sms-early-receipts", ReceiptMatcher.PARKED_TTL);
    /** Warning id → {@link WarningRecord}. */
    public static final WorkStoreSpec<WarningRecord> WARNINGS =
            WorkStoreSpec.durable("sms-warnings", WarningRecordCodec.INSTANCE).upgradingFrom("durable.sms-warnings");
    /**
     * "subscriber|tier" → warning id, living as long as the dedup window. The previous release's entries
     * are not taken over: they were stored without their expiry, and kept for ever they would block a
     * subscriber's warnings for ever; at worst an upgrade lets one repeated warning through.
     */
    public static final WorkStoreSpec<String> DEDUP = WorkStoreSpec.durable("sms-dedup", WorkCodec.utf8());

    /** Every store, as the registry member must declare them at start. */
    public static final List<WorkStoreSpec<?>> ALL = List.of(JOBS, OPEN_JOBS, MESSAGE_IDS, EARLY_RECEIPTS, WARNINGS, DEDUP);

    private SmsWorkStores() {
    }
}
