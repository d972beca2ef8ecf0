package cn.antifraud.gateway.smpp.internal;

/**
 * Names of the gateway's Hazelcast maps. The registry module configures every map named {@code durable.*}
 * to write through to the database, so these survive the loss of the whole cluster.
 */
public final class DurableMaps {
    /** Job id → {@link StoredJob}: the {@link cn.antifraud.gateway.smpp.SmsJob} in {@link JobCodec} form. */
    public static final String JOBS = "durable.sms-jobs";
    /** "smsc:normalised message id" → {@link StoredTarget} "job id#part". */
    public static final String MESSAGE_IDS = "durable.sms-message-ids";
    /** Receipts that came before their submit_sm_resp was recorded: "smsc:message id" → {@link StoredTarget} receipt state. */
    public static final String EARLY_RECEIPTS = "durable.sms-early-receipts";
    /** Warning id → {@link cn.antifraud.gateway.smpp.WarningRecord}. */
    public static final String WARNINGS = "durable.sms-warnings";
    /** "subscriber|tier" → {@link StoredTarget} warning id, with the dedup window as time to live. */
    public static final String DEDUP = "durable.sms-dedup";

    private DurableMaps() {
    }
}
