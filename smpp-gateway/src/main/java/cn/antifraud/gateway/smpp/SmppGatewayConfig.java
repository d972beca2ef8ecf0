package cn.antifraud.gateway.smpp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Everything the SMPP gateway needs, validated once and immutable. Built by the runnable gateway from
 * the operator's config file; every time is a {@link Duration}.
 */
public final class SmppGatewayConfig {
    private final List<SmscConfig> smscs;
    private final Duration enquireLinkInterval;
    private final Duration bindTimeout;
    private final Duration responseTimeout;
    private final Backoff reconnectBackoff;
    private final int windowSize;
    private final int tpsPerBind;
    private final int queuePerBind;
    private final RetryPolicy retryPolicy;
    private final SourceAddress source;
    private final byte destinationTon;
    private final byte destinationNpi;
    private final DataCodingPolicy dataCoding;
    private final Duration dedupWindow;
    private final Duration jobLease;
    private final Duration sweepInterval;
    private final Duration receiptTimeout;
    private final Duration jobRetention;
    private final Duration holdWhileDown;
    private final Duration housekeepingWhileDown;
    private final MobilePrefixes mobilePrefixes;
    private final Duration drainTimeout;
    private final String nodeId;

    private SmppGatewayConfig(Builder b) {
        this.smscs = List.copyOf(b.smscs);
        if (smscs.isEmpty()) {
            throw new IllegalArgumentException("at least one SMSC must be configured");
        }
        this.enquireLinkInterval = positive(b.enquireLinkInterval, "enquireLinkInterval");
        this.bindTimeout = positive(b.bindTimeout, "bindTimeout");
        this.responseTimeout = positive(b.responseTimeout, "responseTimeout");
        this.reconnectBackoff = requireNonNull(b.reconnectBackoff, "reconnectBackoff");
        if (b.windowSize < 1) {
            throw new IllegalArgumentException("windowSize must be at least 1, got " + b.windowSize);
        }
        this.windowSize = b.windowSize;
        if (b.tpsPerBind < 0) {
            throw new IllegalArgumentException("tpsPerBind must be 0 (unlimited) or positive, got " + b.tpsPerBind);
        }
        this.tpsPerBind = b.tpsPerBind;
        if (b.queuePerBind < 1) {
            throw new IllegalArgumentException("queuePerBind must be at least 1, got " + b.queuePerBind);
        }
        this.queuePerBind = b.queuePerBind;
        this.retryPolicy = requireNonNull(b.retryPolicy, "retryPolicy");
        this.source = requireNonNull(b.source, "source");
        this.destinationTon = b.destinationTon;
        this.destinationNpi = b.destinationNpi;
        this.dataCoding = requireNonNull(b.dataCoding, "dataCoding");
        this.dedupWindow = positive(b.dedupWindow, "dedupWindow");
        this.jobLease = positive(b.jobLease, "jobLease");
        this.sweepInterval = positive(b.sweepInterval, "sweepInterval");
        this.receiptTimeout = positive(b.receiptTimeout, "receiptTimeout");
        this.jobRetention = positive(b.jobRetention, "jobRetention");
        // A job still in flight (queued for up to retry max-age, then waiting up to receiptTimeout for its
        // receipt) must never be purged; only final jobs are, and only after this much time.
        Duration longestLife = b.retryPolicy.maxAge().plus(receiptTimeout);
        if (jobRetention.compareTo(longestLife) <= 0) {
            throw new IllegalArgumentException("jobRetention (" + jobRetention + ") must be longer than retry max-age"
                    + " plus receiptTimeout (" + longestLife + ")");
        }
        // Waiting for a bind costs nothing (no dispatch, no writes), so by default a warning waits as long
        // as a final job is kept: an outage alone never expires it.
        this.holdWhileDown = positive(b.holdWhileDown == null ? jobRetention : b.holdWhileDown, "holdWhileDown");
        this.housekeepingWhileDown = positive(b.housekeepingWhileDown, "housekeepingWhileDown");
        this.mobilePrefixes = requireNonNull(b.mobilePrefixes, "mobilePrefixes");
        this.drainTimeout = requireNonNull(b.drainTimeout, "drainTimeout");
        this.nodeId = requireNonNull(b.nodeId, "nodeId");
        if (jobLease.compareTo(responseTimeout.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("jobLease (" + jobLease + ") must be at least twice responseTimeout ("
                    + responseTimeout + "), or a slow submit would let another node take the job over");
        }
    }

    private static Duration positive(Duration d, String name) {
        requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<SmscConfig> smscs() { return smscs; }
    /** enquire_link period (SMPP 3.4 §4.11); 30 s by default, below typical SMSC idle timeouts. */
    public Duration enquireLinkInterval() { return enquireLinkInterval; }
    public Duration bindTimeout() { return bindTimeout; }
    /** How long to wait for a submit_sm_resp before the outcome is ambiguous. */
    public Duration responseTimeout() { return responseTimeout; }
    public Backoff reconnectBackoff() { return reconnectBackoff; }
    /** Max outstanding submit_sm per bind (SMPP 3.4 §2.7, "window"). */
    public int windowSize() { return windowSize; }
    /** submit_sm per second per bind; 0 means unlimited. */
    public int tpsPerBind() { return tpsPerBind; }
    /** Parts that may wait for a bind's window before new work is refused (and retried later). */
    public int queuePerBind() { return queuePerBind; }
    public RetryPolicy retryPolicy() { return retryPolicy; }
    public SourceAddress source() { return source; }
    public byte destinationTon() { return destinationTon; }
    public byte destinationNpi() { return destinationNpi; }
    public DataCodingPolicy dataCoding() { return dataCoding; }
    /** One warning per subscriber and tier within this window. */
    public Duration dedupWindow() { return dedupWindow; }
    /** How long a node owns a job it works on before another node may take it over. */
    public Duration jobLease() { return jobLease; }
    /** How often each node looks for due retries and abandoned jobs among its own partitions. */
    public Duration sweepInterval() { return sweepInterval; }
    /** A SUBMITTED job with no final receipt this long after its submit becomes EXPIRED (the SMSC will not tell). */
    public Duration receiptTimeout() { return receiptTimeout; }
    /** How long a final job (and a warning whose jobs are all final) is kept before the sweep removes it, map and database. */
    public Duration jobRetention() { return jobRetention; }
    /**
     * How long a job that never reached an SMSC (no bind was up) is kept waiting before it is EXPIRED; the
     * retry max-age starts only at the first attempt that reached an SMSC. Defaults to {@link #jobRetention()}.
     */
    public Duration holdWhileDown() { return holdWhileDown; }

    /**
     * How often the sweep reads this member's jobs while no bind is up, for the housekeeping alone (purge past
     * retention, receipt timeout, the backlog gauges): nothing can be sent then, and each pass reads every job.
     * Warnings past retention are purged at this interval too, bound or not.
     */
    public Duration housekeepingWhileDown() { return housekeepingWhileDown; }

    /** Which subscribers a warning may go to (config {@code warnings.mobile-prefixes}). */
    public MobilePrefixes mobilePrefixes() { return mobilePrefixes; }
    public Duration drainTimeout() { return drainTimeout; }
    /** This node's name in job leases. */
    public String nodeId() { return nodeId; }

    @Override
    public String toString() {
        return "SmppGatewayConfig{smscs=" + smscs + ", enquireLinkInterval=" + enquireLinkInterval
                + ", windowSize=" + windowSize + ", tpsPerBind=" + tpsPerBind + ", responseTimeout=" + responseTimeout
                + ", retryPolicy=" + retryPolicy + ", source=" + source + ", dataCoding=" + dataCoding
                + ", dedupWindow=" + dedupWindow + ", receiptTimeout=" + receiptTimeout + ", jobRetention=" + jobRetention
                + ", holdWhileDown=" + holdWhileDown + ", housekeepingWhileDown=" + housekeepingWhileDown + ", nodeId=" + nodeId + "}";
    }

    /** Builder with the defaults of the issue: 30 s enquire_link, window 10, 24 h dedup window. */
    public static final class Builder {
        private final List<SmscConfig> smscs = new ArrayList<>();
        private Duration enquireLinkInterval = Duration.ofSeconds(30);
        private Duration bindTimeout = Duration.ofSeconds(10);
        private Duration responseTimeout = Duration.ofSeconds(10);
        private Backoff reconnectBackoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60));
        private int windowSize = 10;
        private int tpsPerBind;
        private int queuePerBind = 1000;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private SourceAddress source = SourceAddress.short12381();
        private byte destinationTon = 1;
        private byte destinationNpi = 1;
        private DataCodingPolicy dataCoding = DataCodingPolicy.UCS2_ONLY;
        private Duration dedupWindow = Duration.ofHours(24);
        private Duration jobLease = Duration.ofSeconds(60);
        private Duration sweepInterval = Duration.ofSeconds(1);
        // SMSCs keep undeliverable messages for up to their validity period, commonly 24 to 48 hours.
        private Duration receiptTimeout = Duration.ofHours(72);
        // Long enough for complaints and audits about a warning SMS; bounded so the job map does not grow forever.
        private Duration jobRetention = Duration.ofDays(7);
        private Duration holdWhileDown;
        private Duration housekeepingWhileDown = Duration.ofMinutes(5);
        private MobilePrefixes mobilePrefixes = MobilePrefixes.defaults();
        private Duration drainTimeout = Duration.ofSeconds(10);
        private String nodeId = "node-" + UUID.randomUUID();

        public Builder addSmsc(SmscConfig smsc) { smscs.add(requireNonNull(smsc, "smsc")); return this; }
        public Builder enquireLinkInterval(Duration d) { this.enquireLinkInterval = d; return this; }
        public Builder bindTimeout(Duration d) { this.bindTimeout = d; return this; }
        public Builder responseTimeout(Duration d) { this.responseTimeout = d; return this; }
        public Builder reconnectBackoff(Backoff b) { this.reconnectBackoff = b; return this; }
        public Builder windowSize(int n) { this.windowSize = n; return this; }
        public Builder tpsPerBind(int n) { this.tpsPerBind = n; return this; }
        public Builder queuePerBind(int n) { this.queuePerBind = n; return this; }
        public Builder retryPolicy(RetryPolicy p) { this.retryPolicy = p; return this; }
        public Builder source(SourceAddress s) { this.source = s; return this; }
        /** Destination TON/NPI; numbers are sent as E.164 digits without '+', so international/E.164 by default. */
        public Builder destination(byte ton, byte npi) { this.destinationTon = ton; this.destinationNpi = npi; return this; }
        public Builder dataCoding(DataCodingPolicy p) { this.dataCoding = p; return this; }
        public Builder dedupWindow(Duration d) { this.dedupWindow = d; return this; }
        public Builder jobLease(Duration d) { this.jobLease = d; return this; }
        public Builder sweepInterval(Duration d) { this.sweepInterval = d; return this; }
        public Builder receiptTimeout(Duration d) { this.receiptTimeout = d; return this; }
        public Builder jobRetention(Duration d) { this.jobRetention = d; return this; }
        public Builder mobilePrefixes(MobilePrefixes p) { this.mobilePrefixes = p; return this; }
        /** Unset: the job retention. */
        public Builder holdWhileDown(Duration d) { this.holdWhileDown = d; return this; }
        public Builder housekeepingWhileDown(Duration d) { this.housekeepingWhileDown = d; return this; }
        public Builder drainTimeout(Duration d) { this.drainTimeout = d; return this; }
        public Builder nodeId(String id) { this.nodeId = id; return this; }

        public SmppGatewayConfig build() { return new SmppGatewayConfig(this); }
    }
}
