package cn.antifraud.gateway.registry.cluster;

import cn.antifraud.gateway.registry.WarningNumber;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Refills this member's near cache with a warning number after it was added or changed anywhere in
 * the cluster, so that the first call after a change is branded with the new card rather than
 * answered "unknown".
 *
 * <p>Why several attempts: the entry event and the near-cache invalidation are separate messages and
 * may arrive in either order. A refill before the invalidation finds the old card still cached and
 * does nothing; the invalidation then empties the entry, and a later attempt refills it. A revoked
 * number is refilled too, as revoked: it is never branded, and spoof detection still recognises it.
 */
final class CardRewarmer implements EntryAddedListener<String, WarningNumber>,
        EntryUpdatedListener<String, WarningNumber>, AutoCloseable {

    private static final List<Duration> ATTEMPTS =
            List.of(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMillis(1000));

    private final IMap<String, WarningNumber> map;
    private final NearCacheReads<String, WarningNumber> reads;
    private final ScheduledExecutorService scheduler;
    private final UUID registration;

    CardRewarmer(IMap<String, WarningNumber> map, NearCacheReads<String, WarningNumber> reads) {
        this.map = map;
        this.reads = reads;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "registry-card-rewarm");
            t.setDaemon(true);
            return t;
        });
        this.registration = map.addEntryListener(this, false);
    }

    @Override
    public void entryAdded(EntryEvent<String, WarningNumber> event) {
        schedule(event.getKey());
    }

    @Override
    public void entryUpdated(EntryEvent<String, WarningNumber> event) {
        schedule(event.getKey());
    }

    private void schedule(String key) {
        for (Duration delay : ATTEMPTS) {
            scheduler.schedule(() -> reads.warm(key), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        map.removeEntryListener(registration);
    }
}
