package cn.antifraud.gateway.registry.work;

import static java.util.Objects.requireNonNull;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;
import com.hazelcast.map.IMap;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The work stores of one Hazelcast member. Each {@link WorkStoreSpec} becomes its own map configuration
 * (a durable one with its database loader, loaded EAGER at start; its writes go to the database through the
 * member's journal, see {@link HazelcastWorkStore}), declared before the member starts: Hazelcast cannot add
 * a map loader to a running cluster, and every member must configure one alike.
 */
public final class HazelcastWorkStores implements WorkStores {
    private final Map<String, WorkStoreSpec<?>> specs = new LinkedHashMap<>();
    private final Map<String, DurableWorkEntries> databases = new LinkedHashMap<>();
    private volatile HazelcastInstance instance;
    private final AtomicLong ownership = new AtomicLong();

    /** @param database the database side of each durable spec; null to keep every store in cluster memory */
    private HazelcastWorkStores(Collection<WorkStoreSpec<?>> specs, Function<WorkStoreSpec<?>, DurableWorkEntries> database) {
        for (WorkStoreSpec<?> spec : specs) {
            if (this.specs.putIfAbsent(spec.name(), spec) != null) {
                throw new IllegalArgumentException("work store " + spec.name() + " declared twice");
            }
            if (spec.durable() && database != null) {
                DurableWorkEntries entries = database.apply(spec);
                if (entries == null) {
                    throw new IllegalArgumentException(spec + " is durable but the registry has no database for it");
                }
                databases.put(spec.name(), entries);
            }
        }
    }

    /** Stores backed by {@code database} (one {@link DurableWorkEntries} per durable spec). */
    public static HazelcastWorkStores withDatabase(Collection<WorkStoreSpec<?>> specs,
                                                   Function<WorkStoreSpec<?>, DurableWorkEntries> database) {
        requireNonNull(database, "database");
        return new HazelcastWorkStores(specs, database);
    }

    /**
     * Stores in cluster memory only, durable specs included: for tests and the in-memory benchmark, where
     * there is no database. Production members use {@link #withDatabase}.
     */
    public static HazelcastWorkStores clusterMemoryOnly(Collection<WorkStoreSpec<?>> specs) {
        return new HazelcastWorkStores(specs, null);
    }

    /** Adds the stores' maps to a member's configuration, before it starts. */
    public void configure(Config hz, int backupCount) {
        WorkSerialization.register(hz.getSerializationConfig());
        for (WorkStoreSpec<?> spec : specs.values()) {
            MapConfig map = new MapConfig(spec.mapName());
            map.setBackupCount(backupCount);
            DurableWorkEntries entries = databases.get(spec.name());
            if (entries != null) {
                map.setMapStoreConfig(new MapStoreConfig()
                        .setEnabled(true)
                        .setImplementation(entries)
                        .setInitialLoadMode(MapStoreConfig.InitialLoadMode.EAGER)
                        // The map has a loader only, and after the EAGER load a miss is answered "absent"
                        // without the database: handing each such call to Hazelcast's offload executor and
                        // back cost more than the call (0.78x the CPU per warning without it). Only after a
                        // lost partition does a miss SELECT one row, on the partition thread.
                        .setOffload(false));
            }
            hz.addMapConfig(map);
        }
    }

    /**
     * Binds the stores to the started member and loads every durable one (EAGER) before returning. A durable
     * store hears of its map's lost partitions, after which its misses read the database
     * ({@link DurableWorkEntries#partitionLost}).
     */
    public void attach(HazelcastInstance member) {
        this.instance = requireNonNull(member, "member");
        member.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                ownership.incrementAndGet();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                ownership.incrementAndGet();
            }
        });
        member.getPartitionService().addMigrationListener(new MigrationListener() {
            @Override
            public void migrationStarted(MigrationState state) {
            }

            @Override
            public void migrationFinished(MigrationState state) {
                ownership.incrementAndGet();
            }

            @Override
            public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
                ownership.incrementAndGet();
            }

            @Override
            public void replicaMigrationFailed(ReplicaMigrationEvent event) {
                ownership.incrementAndGet();
            }
        });
        for (WorkStoreSpec<?> spec : specs.values()) {
            IMap<Object, Object> map = member.getMap(spec.mapName());
            DurableWorkEntries entries = databases.get(spec.name());
            if (entries != null) {
                map.addPartitionLostListener(event -> entries.partitionLost(event.getPartitionId()));
            }
            map.size();
        }
    }

    @Override
    public long ownershipVersion() {
        return ownership.get();
    }

    /** The declared specs, in declaration order. */
    public List<WorkStoreSpec<?>> specs() {
        return List.copyOf(specs.values());
    }

    @Override
    public <V> WorkStore<V> open(WorkStoreSpec<V> spec) {
        requireNonNull(spec, "spec");
        WorkStoreSpec<?> declared = specs.get(spec.name());
        if (declared != spec) {
            throw new IllegalArgumentException(spec + " was not declared when the member started"
                    + (declared == null ? "" : " (another spec of that name was)"));
        }
        HazelcastInstance member = instance;
        if (member == null) {
            throw new IllegalStateException("work stores are not attached to a started member yet");
        }
        DurableWorkEntries entries = databases.get(spec.name());
        return new HazelcastWorkStore<>(spec, member.getMap(spec.mapName()), member.getPartitionService(), entries);
    }
}
