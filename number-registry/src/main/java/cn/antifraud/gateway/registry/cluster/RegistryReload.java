package cn.antifraud.gateway.registry.cluster;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.store.RegistryStores;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapLoader;
import com.hazelcast.map.impl.proxy.MapProxyImpl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the registry maps equal to the database after a split-brain merge: the database is the truth.
 *
 * <p>Why the database wins and loses nothing: registry writes are written through (a write is
 * acknowledged only once its row is in the database) and a member without quorum acknowledges none
 * ({@link RegistryQuorum}). So every acknowledged write and delete is in the database. The maps can
 * still differ from it: the registry maps merge with {@code DiscardMergePolicy} (the minority's
 * entries are dropped, never merged over the majority's), but in the seconds before a cut-off member's
 * failure detector fired, it may have written rows to the database whose map entries (or the deletes
 * of them) never reached the majority's backups. Reloading from the database repairs exactly those.
 *
 * <p>How, in two passes with bounded memory (the fraud-number map holds up to ten million entries;
 * a map of up to {@value #WHOLE_MAP_AT_ONCE} entries is fetched in one call instead):
 * <ol>
 *   <li>{@code IMap.loadAll(false)}: every database key the map lacks is loaded;</li>
 *   <li>every map entry, partition by partition in batches of {@value #BATCH}, is compared with its
 *       database row ({@code MapLoader.loadAll} of the batch); an entry that differs or has no row is
 *       repaired under the key's lock (so a concurrent admin write waits) by reading the row again and
 *       replacing the entry without writing to the database ({@code putTransient}), or evicting it
 *       ({@code evict}, which leaves the database alone) when the row is gone.</li>
 * </ol>
 * Both change entries through the map, so Hazelcast invalidates every member's near cache for them.
 * The merged member's own near caches were cleared by Hazelcast when it rejoined.
 *
 * <p>Known gap: pass 1 reads a row and stores it in the map in two steps; an admin delete of that very
 * key between them leaves the entry in the map (not in the database) until pass 2 of the next reload
 * or a restart. Pass 2 takes the key's lock and has no such gap.
 */
final class RegistryReload {

    static final int BATCH = 1000;
    /** Up to this size a map is fetched in one call ({@code entrySet}); larger ones partition by partition. */
    static final int WHOLE_MAP_AT_ONCE = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(RegistryReload.class);

    /** What one map's reload changed. */
    record Outcome(String map, long loaded, long compared, long replaced, long evicted) {
    }

    private final RegistryMember member;
    private final RegistryStores stores;
    private final int wholeMapAtOnce;

    RegistryReload(RegistryMember member, RegistryStores stores) {
        this(member, stores, WHOLE_MAP_AT_ONCE);
    }

    /** {@code wholeMapAtOnce}: the largest map fetched in one call (tests set 0 to go partition by partition). */
    RegistryReload(RegistryMember member, RegistryStores stores, int wholeMapAtOnce) {
        this.member = requireNonNull(member, "member");
        this.stores = requireNonNull(stores, "stores");
        this.wholeMapAtOnce = wholeMapAtOnce;
    }

    /**
     * Reloads until a reload completes, retrying every {@code retryMillis} while the database or the
     * cluster refuses, for as long as the member runs and {@code stillWanted} holds; true when one
     * completed. {@code why} names the occasion in the log ("after a merge").
     */
    static boolean runUntilDone(RegistryMember member, RegistryStores stores, String why, long retryMillis,
                                BooleanSupplier stillWanted) {
        while (member.hazelcast().getLifecycleService().isRunning() && stillWanted.getAsBoolean()) {
            try {
                new RegistryReload(member, stores).run();
                return true;
            } catch (RuntimeException e) {
                LOG.warn("reload {} failed, retrying in {} ms: {}", why, retryMillis, e.toString());
            }
            try {
                Thread.sleep(retryMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Reloads the three registry maps; blocking (database and cluster round trips), never on an event loop. */
    List<Outcome> run() {
        List<Outcome> out = new ArrayList<>();
        out.add(reload(member.warningNumbers(), stores.warningNumbers()));
        out.add(reload(member.fraudNumbers(), new DigitKeyedMapStore<>(stores.fraudNumbers())));
        out.add(reload(member.familyContacts(), stores.familyContacts()));
        return out;
    }

    private <K, V> Outcome reload(IMap<K, V> map, MapLoader<K, V> database) {
        long started = System.nanoTime();
        int before = map.size();
        map.loadAll(false);
        int size = map.size();
        long loaded = Math.max(0, size - before);
        long[] counts = new long[3];
        if (size <= wholeMapAtOnce) {
            // One call for the whole map: iterating 271 partitions one by one took 25 s on a loaded machine.
            compareAll(map, database, map.entrySet(), counts);
        } else {
            MapProxyImpl<K, V> proxy = (MapProxyImpl<K, V>) map;
            int partitions = member.hazelcast().getPartitionService().getPartitions().size();
            for (int partition = 0; partition < partitions; partition++) {
                Iterator<Map.Entry<K, V>> entries = proxy.iterator(BATCH, partition, true);
                compareAll(map, database, () -> entries, counts);
            }
        }
        Outcome outcome = new Outcome(map.getName(), loaded, counts[0], counts[1], counts[2]);
        LOG.info("reloaded {} from the database in {} ms: {} entries loaded, {} compared, {} replaced,"
                + " {} evicted", outcome.map(), (System.nanoTime() - started) / 1_000_000, loaded, counts[0], counts[1],
                counts[2]);
        return outcome;
    }

    private static <K, V> void compareAll(IMap<K, V> map, MapLoader<K, V> database, Iterable<Map.Entry<K, V>> entries,
                                          long[] counts) {
        Map<K, V> batch = new HashMap<>();
        for (Map.Entry<K, V> e : entries) {
            batch.put(e.getKey(), e.getValue());
            if (batch.size() == BATCH) {
                compare(map, database, batch, counts);
                batch.clear();
            }
        }
        compare(map, database, batch, counts);
    }

    private static <K, V> void compare(IMap<K, V> map, MapLoader<K, V> database, Map<K, V> batch, long[] counts) {
        if (batch.isEmpty()) {
            return;
        }
        counts[0] += batch.size();
        Map<K, V> rows = database.loadAll(batch.keySet());
        for (Map.Entry<K, V> e : batch.entrySet()) {
            if (!Objects.equals(e.getValue(), rows.get(e.getKey()))) {
                repair(map, database, e.getKey(), counts);
            }
        }
    }

    /** Under the key's lock, so an admin write to it waits and is not overwritten by an older row. */
    private static <K, V> void repair(IMap<K, V> map, MapLoader<K, V> database, K key, long[] counts) {
        map.lock(key);
        try {
            V row = database.loadAll(List.of(key)).get(key);
            if (row == null) {
                map.evict(key);
                counts[2]++;
            } else {
                // putTransient: the row is already in the database; writing it back would only add load.
                map.putTransient(key, row, 0, TimeUnit.SECONDS);
                counts[1]++;
            }
        } finally {
            map.unlock(key);
        }
    }
}
