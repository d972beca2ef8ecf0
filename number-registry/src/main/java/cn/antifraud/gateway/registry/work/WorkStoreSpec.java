package cn.antifraud.gateway.registry.work;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a work store is: its name, the codec of its records, whether it is written through to the
 * database, and the {@code durable.*} map of the previous release whose rows it takes over at start.
 * Durability is this explicit option, not a naming convention.
 *
 * @param <V> the record type
 */
public final class WorkStoreSpec<V> {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");

    /** Whether a store survives the loss of the whole cluster. */
    public enum Durability {
        /** Written through to the registry database; reloaded at a cluster start. */
        DURABLE,
        /** Cluster memory and its backups only. */
        CLUSTER_MEMORY
    }

    private final String name;
    private final WorkCodec<V> codec;
    private final Durability durability;
    private final String legacyMapName;
    private final Duration legacyTtl;
    private final int recentWrites;

    private WorkStoreSpec(String name, WorkCodec<V> codec, Durability durability, String legacyMapName, Duration legacyTtl,
                          int recentWrites) {
        requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("work store name must be 1-100 of [a-z0-9-], starting with a letter or digit, got '"
                    + name + "'");
        }
        this.name = name;
        this.codec = requireNonNull(codec, "codec");
        this.durability = requireNonNull(durability, "durability");
        this.legacyMapName = legacyMapName;
        this.legacyTtl = legacyTtl;
        if (recentWrites < 0) {
            throw new IllegalArgumentException("recentWrites must be >= 0, got " + recentWrites);
        }
        this.recentWrites = recentWrites;
    }

    /** A store written through to the database. */
    public static <V> WorkStoreSpec<V> durable(String name, WorkCodec<V> codec) {
        return new WorkStoreSpec<>(name, codec, Durability.DURABLE, null, null, 0);
    }

    /** A store kept in cluster memory (with backups) only. */
    public static <V> WorkStoreSpec<V> clusterMemory(String name, WorkCodec<V> codec) {
        return new WorkStoreSpec<>(name, codec, Durability.CLUSTER_MEMORY, null, null, 0);
    }

    /**
     * This spec, taking over at start the rows the previous release wrote to the {@code durable.*} map
     * {@code mapName} (decoded with {@link WorkCodec#decodeLegacy}), so an upgrade loses no record.
     */
    public WorkStoreSpec<V> upgradingFrom(String mapName) {
        return upgrading(mapName, null);
    }

    /**
     * As {@link #upgradingFrom(String)}, for a map whose entries had a time-to-live: the previous release
     * stored rows without their expiry, so each taken-over record lives {@code ttl} from the takeover.
     */
    public WorkStoreSpec<V> upgradingFrom(String mapName, Duration ttl) {
        requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        return upgrading(mapName, ttl);
    }

    private WorkStoreSpec<V> upgrading(String mapName, Duration ttl) {
        requireNonNull(mapName, "mapName");
        if (durability != Durability.DURABLE) {
            throw new IllegalStateException("only a durable store takes over database rows");
        }
        return new WorkStoreSpec<>(name, codec, durability, mapName, ttl, recentWrites);
    }

    /**
     * This spec, with each member remembering the values it wrote for the last {@code keys} keys, so that
     * {@link WorkStore#update} of a record this member wrote last compare-and-sets at once instead of reading
     * it first: one cluster operation per transition instead of two. For stores whose records go through
     * several transitions on one member in a short time (jobs); each key kept costs its record's bytes.
     */
    public WorkStoreSpec<V> rememberingOwnWrites(int keys) {
        return new WorkStoreSpec<>(name, codec, durability, legacyMapName, legacyTtl, keys);
    }

    /** How many keys' own writes a member remembers (0: none), see {@link #rememberingOwnWrites}. */
    public int recentWrites() {
        return recentWrites;
    }

    public String name() {
        return name;
    }

    public WorkCodec<V> codec() {
        return codec;
    }

    public Durability durability() {
        return durability;
    }

    public boolean durable() {
        return durability == Durability.DURABLE;
    }

    public Optional<String> legacyMapName() {
        return Optional.ofNullable(legacyMapName);
    }

    /** The cluster map holding the records; an internal name, chosen so it cannot collide with the registry's. */
    String mapName() {
        return "work." + name;
    }

    /** How long a record taken over from {@link #legacyMapName()} lives; empty: for ever. */
    public Optional<Duration> legacyTtl() {
        return Optional.ofNullable(legacyTtl);
    }

    @Override
    public String toString() {
        return "work store " + name + " (" + durability + (legacyMapName == null ? "" : ", from " + legacyMapName) + ")";
    }
}
