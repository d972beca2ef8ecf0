package cn.antifraud.gateway.registry.cluster;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.registry.store.RegistryStores;
import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import cn.antifraud.gateway.registry.work.HazelcastWorkStores;
import cn.antifraud.gateway.registry.work.WorkStoreSpec;
import cn.antifraud.gateway.registry.work.WorkStores;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.core.LifecycleListener;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapStore;
import com.hazelcast.map.MapStoreFactory;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded Hazelcast member of the number registry, configured from {@link RegistryConfig} and
 * written through to {@link RegistryStores}.
 *
 * <p>Maps: {@value #WARNING_NUMBERS}, {@value #FRAUD_NUMBERS}, {@value #FAMILY_CONTACTS} (String E.164
 * keys, the registry records as values) and every map named {@code durable.*} (work maps of other
 * components, each with {@link RegistryStores#durable(String)}). All are write-through (write delay 0:
 * a write returns once the database has the row), have at least one synchronous backup, and load
 * EAGER, so a full-cluster restart reloads everything before the first lookup is answered.
 *
 * <p>The three registry maps have a member near cache (OBJECT format, local entries cached, misses
 * cached as null, LRU-bounded). Near-cache invalidations are sent at once rather than batched when
 * {@link RegistryConfig#invalidationDelayTarget()} is under 2 s: Hazelcast's default batching
 * ({@code hazelcast.map.invalidation.batchfrequency.seconds=10}) could leave a revoked warning number
 * branded for 10 s on other members. The cost is one invalidation message per write and member, which
 * the registry's write rate (provisioning, not traffic) affords; bulk imports send one per row.
 * A lost invalidation is repaired by Hazelcast's sequence-based reconciliation
 * ({@code hazelcast.invalidation.reconciliation.interval.seconds}, 60 s by default).
 *
 * <p><b>Split brain</b> (issue 13): every registry write is refused unless this member sees
 * {@link RegistryConfig#quorum()} members ({@link RegistryQuorum}, checked by the registry before the
 * write; not Hazelcast's split-brain protection, which also refuses Hazelcast's own reloading of lost
 * partitions on a lone member and leaves them loading for good), and the maps merge with
 * {@link DiscardMergePolicy}: after a split heals, the entries of the smaller side are dropped, never
 * merged over the larger side's, so a card revoked or a number deleted on the majority cannot come
 * back. The member that merged then reloads the maps from the database ({@link RegistryReload}),
 * refusing writes and branding until that is done ({@link RegistryQuorum}); so does a member that
 * regains its quorum, which may be the stale side the others merged into ({@link SplitHeal}). A member with a quorum
 * above 1 starts only once that many members have joined (Hazelcast's initial minimum cluster size),
 * so that members started together form one cluster rather than several of one.
 * The durable work maps keep Hazelcast's default merge (put if absent): a contact event queued on
 * the minority during a split is work to do, not a registry fact.
 *
 * <p>Serialization: Compact with explicit schemas ({@link RegistrySerializers}); fraud numbers byte by
 * byte ({@link FraudNumberSerializer}), keyed by their digits as a {@code Long}.
 */
public final class RegistryMember implements AutoCloseable {

    public static final String WARNING_NUMBERS = "warning-numbers";
    public static final String FRAUD_NUMBERS = "fraud-numbers";
    public static final String FAMILY_CONTACTS = "family-contacts";
    /** Prefix of the durable work maps (contact events, warning jobs, SMS jobs). */
    public static final String DURABLE_PREFIX = "durable.";
    /** Name of the split-brain protection on the registry maps. */

    private static final Duration UNBATCHED_BELOW = Duration.ofSeconds(2);
    private static final long RELOAD_RETRY_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(RegistryMember.class);

    private final RegistryConfig config;
    private final HazelcastInstance instance;
    private final RegistryQuorum quorum;
    /** Set once at start, before the member is handed out. */
    private volatile LostPartitionRepair lostPartitions;
    private final PauseWatch pauseWatch;
    private final HazelcastWorkStores work;

    private RegistryMember(RegistryConfig config, HazelcastInstance instance, RegistryQuorum quorum, PauseWatch pauseWatch,
                           HazelcastWorkStores work) {
        this.work = work;
        this.config = config;
        this.instance = instance;
        this.quorum = quorum;
        this.pauseWatch = pauseWatch;
    }

    /**
     * Starts a member, joins the cluster and loads the registry maps (EAGER) before returning.
     * Blocking: call at startup, never on an event loop.
     */
    public static RegistryMember start(RegistryConfig config, RegistryStores stores) {
        return start(config, stores, List.of());
    }

    /**
     * As {@link #start(RegistryConfig, RegistryStores)}, with work stores: each spec gets its own map, a
     * durable one written through to {@link RegistryStores#work}, and is loaded before this returns.
     * Every member of a cluster must declare the same specs.
     */
    public static RegistryMember start(RegistryConfig config, RegistryStores stores, List<WorkStoreSpec<?>> workSpecs) {
        requireNonNull(config, "config");
        requireNonNull(stores, "stores");
        HazelcastWorkStores work = HazelcastWorkStores.withDatabase(workSpecs, stores::work);
        RegistryQuorum quorum = new RegistryQuorum(config.quorum(), config.members().size(), config.maxNoHeartbeat(),
                System.nanoTime());
        AtomicReference<RegistryMember> self = new AtomicReference<>();
        Config hz = hazelcastConfig(config, stores);
        work.configure(hz, config.backupCount());
        hz.addListenerConfig(new ListenerConfig(quorum));
        SplitHeal heal = new SplitHeal(quorum, stores, self, RELOAD_RETRY_MILLIS);
        quorum.onRegained(heal::quorumRegained);
        hz.addListenerConfig(new ListenerConfig((LifecycleListener) event -> onLifecycle(event.getState(), heal)));
        // Ticking from before the start: waiting for the quorum to join may take minutes, which is no pause.
        PauseWatch pauseWatch = new PauseWatch(quorum, "registry-pause-watch");
        if (java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() < 2) {
            // Hazelcast then starts a thread per future callback (GatewayMain sizes the pool; an embedding may not).
            LOG.warn("the common fork-join pool has {} thread(s): Hazelcast will start a new thread for every future"
                    + " callback; start the JVM with -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 or more",
                    java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
        }
        HazelcastInstance instance;
        try (JoinProgressLog joining = new JoinProgressLog(config, JoinProgressLog.PERIOD, LOG::warn)) {
            instance = startPassingOverSilentMembers(hz, config);
        } catch (RuntimeException e) {
            pauseWatch.close();
            throw e;
        }
        RegistryMember member = new RegistryMember(config, instance, quorum, pauseWatch, work);
        self.set(member);
        member.lostPartitions = new LostPartitionRepair(member, stores);
        member.warningNumbers().addPartitionLostListener(member.lostPartitions);
        member.fraudNumbers().addPartitionLostListener(member.lostPartitions);
        member.familyContacts().addPartitionLostListener(member.lostPartitions);
        // Touching each map starts its EAGER load now rather than on the first INVITE.
        long started = System.nanoTime();
        int warnings = member.warningNumbers().size();
        int frauds = member.fraudNumbers().size();
        int families = member.familyContacts().size();
        // Sizes and time are logged so an operator can compare them with the tables' row counts
        // after a full restart (the reload target is 10 M rows in under 60 s).
        LOG.info("Registry maps loaded in {} ms: {} warning numbers, {} fraud numbers, {} family contacts",
                Duration.ofNanos(System.nanoTime() - started).toMillis(), warnings, frauds, families);
        checkFraudNumbersLoaded(frauds, stores);
        try {
            work.attach(instance);
        } catch (RuntimeException e) {
            // A work store that cannot load must not leave a running member behind a failed start.
            member.close();
            throw e;
        }
        return member;
    }

    /**
     * A merge resets this member (its map data and near caches are dropped) and joins it to the other
     * cluster; from MERGING until the reload from the database is done it has no quorum ({@link SplitHeal}).
     */
    private static void onLifecycle(LifecycleState state, SplitHeal heal) {
        switch (state) {
            case MERGING -> {
                LOG.warn("split brain: this member merges into another cluster; its registry entries are discarded"
                        + " and reloaded from the database");
                heal.merging();
            }
            case MERGED -> heal.mergeEnded(true);
            case MERGE_FAILED -> {
                LOG.error("split brain: the merge failed; this member stays in its own cluster");
                heal.mergeEnded(false);
            }
            default -> {
                // Other states (starting, shutting down, client events) do not concern the quorum.
            }
        }
    }

    /**
     * Hazelcast logs a failed {@code loadAll} and goes on with the map partly loaded (seen with a
     * connection pool smaller than its loader executor); a fraud number missing from the map is a
     * contact nobody is warned about, so say it loudly, with both counts.
     */
    private static void checkFraudNumbersLoaded(int inMap, RegistryStores stores) {
        OptionalLong rows;
        try {
            rows = stores.fraudNumberRows();
        } catch (RuntimeException e) {
            LOG.warn("could not count the stored fraud numbers to check the initial load: {}", e.toString());
            return;
        }
        if (rows.isPresent() && rows.getAsLong() > inMap) {
            LOG.error("fraud-numbers holds {} entries but the database has {} rows: the initial load is incomplete"
                    + " (see the 'Could not load' warnings above); calls with the missing numbers raise no contact"
                    + " event until the cluster is restarted", inMap, rows.getAsLong());
        }
    }

    /** How long the probe of {@link SilentMembers} waits for a configured member's answer. */
    static final Duration SILENT_MEMBER_PATIENCE = Duration.ofSeconds(5);

    /**
     * Starts the Hazelcast member without the configured members that accept connections but never answer
     * (frozen, a paused VM: {@link SilentMembers}). With such an address in the list and no master running,
     * Hazelcast's mastership claim waits for it and the join fails after Hazelcast's join limit
     * ({@code hazelcast.max.join.seconds}, 300 s: "Node failed to start!"), on every member being started.
     * So the list is probed first: a few milliseconds when all answer, twice {@link #SILENT_MEMBER_PATIENCE}
     * when one is silent. A member passed over merges with this one when it answers again: its own merge check
     * finds this cluster (loadtest/faults/majority_split.py).
     */
    private static HazelcastInstance startPassingOverSilentMembers(Config hz, RegistryConfig config) {
        passOverSilent(hz, config.members(), config.bindAddress() + ":" + config.port());
        return Hazelcast.newHazelcastInstance(hz);
    }

    /** Sets the join list to {@code members} without the silent ones, saying which. */
    private static void passOverSilent(Config hz, List<String> members, String self) {
        List<String> silent = SilentMembers.find(members, self, SILENT_MEMBER_PATIENCE);
        if (silent.isEmpty()) {
            return;
        }
        List<String> answering = members.stream().filter(m -> !silent.contains(m)).toList();
        LOG.warn("cluster: {} of cluster.members accept connections but never answer (a frozen process or a"
                + " paused VM?): joining with {} only; they join this cluster when they answer again", silent, answering);
        hz.getAdvancedNetworkConfig().getJoin().getTcpIpConfig().setMembers(answering);
    }

    /** The Hazelcast configuration this member runs with; public so operators can inspect it. */
    public static Config hazelcastConfig(RegistryConfig config, RegistryStores stores) {
        Config hz = new Config();
        hz.setClusterName(config.clusterName());
        hz.setInstanceName(config.clusterName() + "-" + config.bindAddress() + "-" + System.identityHashCode(hz));
        hz.setProperties(properties(config));
        network(hz.getAdvancedNetworkConfig(), config);
        hz.getMetricsConfig().setEnabled(config.hazelcastMetrics());
        RegistrySerializers.register(hz.getSerializationConfig());

        hz.addMapConfig(registryMap(WARNING_NUMBERS, config, new FullyLoadedMapStore<String, WarningNumber>(stores.warningNumbers())));
        hz.addMapConfig(registryMap(FRAUD_NUMBERS, config, new FullyLoadedMapStore<Long, FraudNumber>(new DigitKeyedMapStore<>(stores.fraudNumbers()))));
        hz.addMapConfig(registryMap(FAMILY_CONTACTS, config, new FullyLoadedMapStore<String, FamilyContacts>(stores.familyContacts())));
        hz.addMapConfig(durableMaps(config, stores));
        return hz;
    }

    private static Properties properties(RegistryConfig config) {
        Properties p = new Properties();
        p.setProperty("hazelcast.phone.home.enabled", "false");
        p.setProperty("hazelcast.logging.type", "slf4j");
        // Bind only to the configured interface: Community has no TLS or member authentication.
        p.setProperty("hazelcast.socket.bind.any", "false");
        // The gateway shuts the member down itself, after draining its own work.
        p.setProperty("hazelcast.shutdownhook.enabled", "false");
        p.setProperty("hazelcast.operation.thread.count", Integer.toString(config.operationThreads()));
        if (config.initialClusterSize() > 1) {
            p.setProperty("hazelcast.initial.min.cluster.size", Integer.toString(config.initialClusterSize()));
        }
        // The failure detector and the merge check, both in whole seconds (RegistryConfig checks).
        p.setProperty("hazelcast.heartbeat.interval.seconds", Long.toString(config.heartbeatInterval().toSeconds()));
        p.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(config.maxNoHeartbeat().toSeconds()));
        p.setProperty("hazelcast.merge.first.run.delay.seconds", Long.toString(config.mergeCheckInterval().toSeconds()));
        p.setProperty("hazelcast.merge.next.run.delay.seconds", Long.toString(config.mergeCheckInterval().toSeconds()));
        if (config.invalidationDelayTarget().compareTo(UNBATCHED_BELOW) < 0) {
            p.setProperty("hazelcast.map.invalidation.batch.enabled", "false");
        } else {
            long halfTarget = Math.max(1, config.invalidationDelayTarget().toSeconds() / 2);
            p.setProperty("hazelcast.map.invalidation.batch.enabled", "true");
            p.setProperty("hazelcast.map.invalidation.batchfrequency.seconds", Long.toString(halfTarget));
        }
        return p;
    }

    /**
     * Members talk over a member-only endpoint (Hazelcast's advanced network config), not the default unified
     * one. On the unified endpoint, the outbound protocol encoder of a connection this member opened reports
     * "clean" while it waits for the peer's protocol bytes, with the member handshake still queued behind it;
     * the output thread then runs that pipeline again and again and never selects. A peer that accepts TCP but
     * never answers (a member frozen by SIGSTOP or a VM pause: its kernel still accepts) thus costs a core at
     * 100% for as long as it is frozen, and every other connection of that thread that waits for its socket to
     * be writable starves: two healthy members could not merge while the third was frozen, because the
     * handshake reply of their merge sat behind the spin (SilentPeerTest, loadtest/faults/majority_split.py).
     * The member endpoint's encoder waits "blocked" instead. No client, REST or memcache endpoint is opened:
     * the gateway uses none.
     */
    private static void network(AdvancedNetworkConfig network, RegistryConfig config) {
        network.setEnabled(true);
        ServerSocketEndpointConfig member = new ServerSocketEndpointConfig();
        member.setPort(config.port());
        member.setPortAutoIncrement(config.portAutoIncrement());
        member.setPublicAddress(config.bindAddress());
        member.getInterfaces().setEnabled(true).addInterface(config.bindAddress());
        network.setMemberEndpointConfig(member);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(config.members());
    }

    private static MapConfig registryMap(String name, RegistryConfig config, MapStore<?, ?> store) {
        MapConfig map = new MapConfig(name);
        map.setBackupCount(config.backupCount());
        // No Hazelcast split-brain protection on these maps: it also refuses Hazelcast's own loading of
        // them, and a lone member that reloads partitions it lost (both replicas gone) then keeps them
        // "still loading data from external store" for good, even after the cluster is whole again
        // (LoneSurvivorTest). The quorum is enforced by the registry before every write (RegistryQuorum).
        // The smaller side's entries are dropped at a merge; the database is then the truth (RegistryReload).
        map.setMergePolicyConfig(new MergePolicyConfig(DiscardMergePolicy.class.getName(), MergePolicyConfig.DEFAULT_BATCH_SIZE));
        map.setMapStoreConfig(new MapStoreConfig()
                .setEnabled(true)
                .setImplementation(store)
                .setWriteDelaySeconds(0)
                .setInitialLoadMode(MapStoreConfig.InitialLoadMode.EAGER));
        map.setNearCacheConfig(new NearCacheConfig(name)
                .setInMemoryFormat(InMemoryFormat.OBJECT)
                .setCacheLocalEntries(true)
                .setInvalidateOnChange(true)
                .setSerializeKeys(false)
                .setEvictionConfig(new EvictionConfig()
                        .setEvictionPolicy(EvictionPolicy.LRU)
                        .setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT)
                        .setSize(config.nearCacheMaxEntries())));
        return map;
    }

    private static MapConfig durableMaps(RegistryConfig config, RegistryStores stores) {
        MapConfig map = new MapConfig(DURABLE_PREFIX + "*");
        map.setBackupCount(config.backupCount());
        MapStoreFactory<String, Object> factory = (mapName, properties) -> stores.durable(mapName);
        map.setMapStoreConfig(new MapStoreConfig()
                .setEnabled(true)
                .setFactoryImplementation(factory)
                .setWriteDelaySeconds(0)
                .setInitialLoadMode(MapStoreConfig.InitialLoadMode.EAGER));
        return map;
    }

    public IMap<String, WarningNumber> warningNumbers() {
        return instance.getMap(WARNING_NUMBERS);
    }

    /**
     * The fraud numbers, keyed by {@link #fraudNumberKey}: the digits as a {@code Long}, half the heap
     * of the E.164 string on a map of ten million entries (docs/registry-benchmarks.md).
     */
    public IMap<Long, FraudNumber> fraudNumbers() {
        return instance.getMap(FRAUD_NUMBERS);
    }

    /** The key of {@code number} in {@link #fraudNumbers()}. */
    public static Long fraudNumberKey(PhoneNumber number) {
        return E164Digits.key(number.e164());
    }

    public IMap<String, FamilyContacts> familyContacts() {
        return instance.getMap(FAMILY_CONTACTS);
    }

    /** A durable work map; {@code name} must start with {@value #DURABLE_PREFIX}. */
    public <V> IMap<String, V> durableMap(String name) {
        requireNonNull(name, "name");
        if (!name.startsWith(DURABLE_PREFIX) || name.length() == DURABLE_PREFIX.length()) {
            throw new IllegalArgumentException("durable map name must be '" + DURABLE_PREFIX + "NAME', got '" + name + "'");
        }
        return instance.getMap(name);
    }

    /** The work stores declared at {@link #start(RegistryConfig, RegistryStores, List)}. */
    public WorkStores workStores() {
        return work;
    }

    /** The underlying member, for health and metrics. */
    public HazelcastInstance hazelcast() {
        return instance;
    }

    public RegistryConfig config() {
        return config;
    }

    /** Whether this member sees its quorum; read by writes and by the SIP hot path. */
    public RegistryQuorum quorum() {
        return quorum;
    }

    /** The address other members reach this one at, {@code host:port}. */
    public String address() {
        var address = instance.getCluster().getLocalMember().getAddress();
        return address.getHost() + ":" + address.getPort();
    }

    /** Graceful shutdown: partitions and backups are handed to the remaining members first. */
    @Override
    public void close() {
        pauseWatch.close();
        if (lostPartitions != null) {
            lostPartitions.close();
        }
        if (instance.getLifecycleService().isRunning()) {
            instance.shutdown();
        }
    }
}
