package cn.antifraud.gateway.registry.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Immutable settings of one embedded registry member. Made by {@link #builder()}.
 *
 * <p><b>Security:</b> Hazelcast Community Edition (5.7) has neither TLS nor member authentication.
 * Any host that reaches {@link #bindAddress()}:{@link #port()} can join the cluster and read or change
 * every number. Bind members to a private interface of the signalling network (the default is
 * loopback) and list the peers explicitly: join is TCP-IP only, multicast and cloud auto-detection are
 * always off.
 *
 * <p><b>Invalidation delay:</b> Hazelcast batches near-cache invalidations (by default up to 100 keys
 * or 10 s). The registry must stop branding a revoked number on every member within 1 s, so
 * {@link #invalidationDelayTarget()} (default 1 s) selects how invalidations are sent; see
 * {@link RegistryMember}.
 */
public final class RegistryConfig {

    /** Hazelcast's customary member port. */
    public static final int DEFAULT_PORT = 5701;

    private final String clusterName;
    private final String bindAddress;
    private final int port;
    private final boolean portAutoIncrement;
    private final List<String> members;
    private final int backupCount;
    private final int nearCacheMaxEntries;
    private final Duration invalidationDelayTarget;
    private final boolean warmWarningNumbers;
    private final int waitForMembers;
    private final int operationThreads;
    private final boolean hazelcastMetrics;
    private final int quorum;
    private final NoQuorumBranding noQuorumBranding;
    private final Duration heartbeatInterval;
    private final Duration maxNoHeartbeat;
    private final Duration mergeCheckInterval;

    private RegistryConfig(Builder b) {
        this.clusterName = b.clusterName;
        this.bindAddress = b.bindAddress;
        this.port = b.port;
        this.portAutoIncrement = b.portAutoIncrement;
        this.members = List.copyOf(b.members);
        this.backupCount = b.backupCount;
        this.nearCacheMaxEntries = b.nearCacheMaxEntries;
        this.invalidationDelayTarget = b.invalidationDelayTarget;
        this.warmWarningNumbers = b.warmWarningNumbers;
        this.waitForMembers = b.waitForMembers;
        this.operationThreads = b.operationThreads;
        this.hazelcastMetrics = b.hazelcastMetrics;
        this.quorum = b.quorum == 0 ? majorityOf(members.size()) : b.quorum;
        if (!members.isEmpty() && quorum > members.size()) {
            throw new IllegalArgumentException("quorum " + quorum + " is larger than the " + members.size()
                    + " configured members: no member could ever write");
        }
        this.noQuorumBranding = b.noQuorumBranding;
        this.heartbeatInterval = b.heartbeatInterval;
        this.maxNoHeartbeat = b.maxNoHeartbeat;
        if (maxNoHeartbeat.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("max-no-heartbeat (" + maxNoHeartbeat.toSeconds()
                    + "s) must be at least twice the heartbeat interval (" + heartbeatInterval.toSeconds()
                    + "s), or one late heartbeat removes a healthy member");
        }
        this.mergeCheckInterval = b.mergeCheckInterval;
    }

    /** A majority of {@code configured} members; a member list of 0 or 1 (a single node) needs only itself. */
    static int majorityOf(int configured) {
        return configured <= 1 ? 1 : configured / 2 + 1;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Members only join a cluster of the same name. */
    public String clusterName() {
        return clusterName;
    }

    /** The private interface the member binds to and publishes; never a public one. */
    public String bindAddress() {
        return bindAddress;
    }

    /** Member port; 0 lets the operating system choose (tests). */
    public int port() {
        return port;
    }

    /** Whether the member may take the next port when {@link #port()} is busy. */
    public boolean portAutoIncrement() {
        return portAutoIncrement;
    }

    /** TCP-IP join list, {@code host:port} or {@code host}; may be empty for a single member. */
    public List<String> members() {
        return members;
    }

    /** Synchronous backups of every registry map, at least 1 so one member can fail without loss. */
    public int backupCount() {
        return backupCount;
    }

    /** Near-cache bound per map and member (LRU beyond it); cached misses count too. */
    public int nearCacheMaxEntries() {
        return nearCacheMaxEntries;
    }

    /** How fast a change must reach every member's near cache. */
    public Duration invalidationDelayTarget() {
        return invalidationDelayTarget;
    }

    /** Whether a starting member loads every warning number into its near cache (they are few). */
    public boolean warmWarningNumbers() {
        return warmWarningNumbers;
    }

    /**
     * How many members must have joined before this one starts (Hazelcast's
     * {@code hazelcast.initial.min.cluster.size}); 1 starts at once. Set to the cluster's size (or a
     * majority) so that a full restart spreads the initial load over the members instead of one member
     * loading every row and then migrating partitions as the others join.
     */
    public int waitForMembers() {
        return waitForMembers;
    }

    /**
     * Hazelcast's partition threads ({@code hazelcast.operation.thread.count}; Hazelcast's default is
     * one per core). Every write to a registry or durable map runs its write-through JDBC statement on
     * the partition thread that owns the key, so with one thread per core a 2-core member did at most
     * two database writes at a time: the SMPP benchmark with PostgreSQL write-through sent 310
     * submit_sm/s with 2 threads and 786 with 16 (docs/smpp-gateway.md). Default 16.
     */
    public int operationThreads() {
        return operationThreads;
    }

    /**
     * Whether Hazelcast's own metrics system runs (its collection every 5 s feeds Management Center and
     * Hazelcast's JMX beans). Off by default: the gateway's {@code /metrics} reads the maps' statistics
     * directly, and the collection kept the JIT compiling its code minutes after start, which landed in
     * the SIP benchmark's measured steps (docs/sip-benchmark.md, fourth session).
     */
    public boolean hazelcastMetrics() {
        return hazelcastMetrics;
    }

    /**
     * How many members this member must see (itself included) to acknowledge registry writes and to
     * brand from its near cache (see {@link #noQuorumBranding()}). Default: a majority of
     * {@link #members()}, so of two halves of a split at most one can write; 1 for a single node.
     * Also the least cluster size a member starts with (see {@link #waitForMembers()}).
     */
    public int quorum() {
        return quorum;
    }

    /** What the SIP hot path brands while this member lacks its quorum. */
    public NoQuorumBranding noQuorumBranding() {
        return noQuorumBranding;
    }

    /** How often members send heartbeats ({@code hazelcast.heartbeat.interval.seconds}, default 5 s). */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /**
     * How long without a heartbeat before a member is removed from the cluster
     * ({@code hazelcast.max.no.heartbeat.seconds}, default 60 s): the failure detector. A member frozen
     * for longer is dropped and, when it resumes, is a cluster of its own until the merge.
     */
    public Duration maxNoHeartbeat() {
        return maxNoHeartbeat;
    }

    /**
     * How often a cluster's master looks for other clusters of the same name to merge with
     * ({@code hazelcast.merge.first.run.delay.seconds} and {@code hazelcast.merge.next.run.delay.seconds};
     * Hazelcast's defaults are 300 s and 120 s). Default 120 s.
     */
    public Duration mergeCheckInterval() {
        return mergeCheckInterval;
    }

    /** The least cluster size the member starts with: {@link #waitForMembers()}, but never below {@link #quorum()}. */
    int initialClusterSize() {
        return Math.max(waitForMembers, quorum);
    }

    /**
     * What {@link cn.antifraud.gateway.registry.CallerCardLookup#brandableCard} answers while the member
     * has no quorum. A member cut off from the majority cannot know whether a card was revoked there.
     */
    public enum NoQuorumBranding {
        /** No card at all: a revoked card is never shown; valid police calls go unbranded meanwhile. */
        UNBRANDED,
        /** The near cache's last-known card: police calls stay branded, a revocation made elsewhere is not seen. */
        LAST_KNOWN
    }

    public Builder toBuilder() {
        return new Builder().clusterName(clusterName).bindAddress(bindAddress).port(port)
                .portAutoIncrement(portAutoIncrement).members(members).backupCount(backupCount)
                .nearCacheMaxEntries(nearCacheMaxEntries).invalidationDelayTarget(invalidationDelayTarget)
                .warmWarningNumbers(warmWarningNumbers).waitForMembers(waitForMembers).operationThreads(operationThreads)
                .hazelcastMetrics(hazelcastMetrics).quorum(quorum).noQuorumBranding(noQuorumBranding)
                .heartbeatInterval(heartbeatInterval).maxNoHeartbeat(maxNoHeartbeat).mergeCheckInterval(mergeCheckInterval);
    }

    @Override
    public String toString() {
        return "RegistryConfig{cluster=" + clusterName + ", bind=" + bindAddress + ":" + port
                + ", members=" + members + ", backups=" + backupCount + ", waitForMembers=" + waitForMembers + ", operationThreads=" + operationThreads + ", quorum=" + quorum + "}";
    }

    /** Builder with the defaults of a single embedded member on loopback. */
    public static final class Builder {
        private String clusterName = "antifraud-registry";
        private String bindAddress = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private boolean portAutoIncrement;
        private final List<String> members = new ArrayList<>();
        private int backupCount = 1;
        private int nearCacheMaxEntries = 1_000_000;
        private Duration invalidationDelayTarget = Duration.ofSeconds(1);
        private boolean warmWarningNumbers = true;
        private int waitForMembers = 1;
        private int operationThreads = 16;
        private boolean hazelcastMetrics;
        private int quorum;
        private NoQuorumBranding noQuorumBranding = NoQuorumBranding.UNBRANDED;
        private Duration heartbeatInterval = Duration.ofSeconds(5);
        private Duration maxNoHeartbeat = Duration.ofSeconds(60);
        private Duration mergeCheckInterval = Duration.ofSeconds(120);

        private Builder() {
        }

        /** Members needed to write; 0 means a majority of {@link #members(List)}. */
        public Builder quorum(int quorum) {
            if (quorum < 0 || quorum > 271) {
                throw new IllegalArgumentException("quorum must be 1 to 271 (or 0 for a majority of members), got " + quorum);
            }
            this.quorum = quorum;
            return this;
        }

        public Builder noQuorumBranding(NoQuorumBranding noQuorumBranding) {
            this.noQuorumBranding = requireNonNull(noQuorumBranding, "noQuorumBranding");
            return this;
        }

        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = wholeSeconds(heartbeatInterval, "heartbeat interval");
            return this;
        }

        public Builder maxNoHeartbeat(Duration maxNoHeartbeat) {
            this.maxNoHeartbeat = wholeSeconds(maxNoHeartbeat, "max-no-heartbeat");
            return this;
        }

        public Builder mergeCheckInterval(Duration mergeCheckInterval) {
            this.mergeCheckInterval = wholeSeconds(mergeCheckInterval, "merge check interval");
            return this;
        }

        /** Hazelcast takes these times in whole seconds. */
        private static Duration wholeSeconds(Duration d, String what) {
            requireNonNull(d, what);
            if (d.isNegative() || d.toSeconds() < 1 || d.getNano() != 0) {
                throw new IllegalArgumentException(what + " must be a whole number of seconds, at least 1s, got " + d);
            }
            return d;
        }

        public Builder clusterName(String clusterName) {
            requireNonNull(clusterName, "clusterName");
            if (clusterName.isBlank()) {
                throw new IllegalArgumentException("clusterName must not be blank");
            }
            this.clusterName = clusterName;
            return this;
        }

        public Builder bindAddress(String bindAddress) {
            requireNonNull(bindAddress, "bindAddress");
            if (bindAddress.isBlank() || bindAddress.equals("0.0.0.0") || bindAddress.equals("::")) {
                throw new IllegalArgumentException("bindAddress must name one private interface, got '"
                        + bindAddress + "': Hazelcast Community has no TLS or member authentication");
            }
            this.bindAddress = bindAddress;
            return this;
        }

        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        public Builder portAutoIncrement(boolean portAutoIncrement) {
            this.portAutoIncrement = portAutoIncrement;
            return this;
        }

        public Builder members(List<String> members) {
            requireNonNull(members, "members");
            this.members.clear();
            members.forEach(this::addMember);
            return this;
        }

        public Builder addMember(String member) {
            requireNonNull(member, "member");
            if (member.isBlank()) {
                throw new IllegalArgumentException("a member address must not be blank");
            }
            this.members.add(member.trim());
            return this;
        }

        public Builder backupCount(int backupCount) {
            if (backupCount < 1 || backupCount > 6) {
                throw new IllegalArgumentException("backupCount must be 1 to 6 (Hazelcast's maximum), got " + backupCount);
            }
            this.backupCount = backupCount;
            return this;
        }

        public Builder nearCacheMaxEntries(int nearCacheMaxEntries) {
            if (nearCacheMaxEntries < 1) {
                throw new IllegalArgumentException("nearCacheMaxEntries must be positive, got " + nearCacheMaxEntries);
            }
            this.nearCacheMaxEntries = nearCacheMaxEntries;
            return this;
        }

        public Builder invalidationDelayTarget(Duration invalidationDelayTarget) {
            requireNonNull(invalidationDelayTarget, "invalidationDelayTarget");
            if (invalidationDelayTarget.isNegative() || invalidationDelayTarget.isZero()) {
                throw new IllegalArgumentException("invalidationDelayTarget must be positive, got " + invalidationDelayTarget);
            }
            this.invalidationDelayTarget = invalidationDelayTarget;
            return this;
        }

        public Builder waitForMembers(int waitForMembers) {
            if (waitForMembers < 1 || waitForMembers > 271) {
                throw new IllegalArgumentException("waitForMembers must be 1 to 271, got " + waitForMembers);
            }
            this.waitForMembers = waitForMembers;
            return this;
        }

        public Builder operationThreads(int operationThreads) {
            if (operationThreads < 1 || operationThreads > 256) {
                throw new IllegalArgumentException("operationThreads must be 1 to 256, got " + operationThreads);
            }
            this.operationThreads = operationThreads;
            return this;
        }

        public Builder hazelcastMetrics(boolean enabled) {
            this.hazelcastMetrics = enabled;
            return this;
        }

        public Builder warmWarningNumbers(boolean warmWarningNumbers) {
            this.warmWarningNumbers = warmWarningNumbers;
            return this;
        }

        public RegistryConfig build() {
            return new RegistryConfig(this);
        }
    }
}
