package cn.antifraud.gateway.registry.cluster;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.store.RegistryStores;
import com.hazelcast.map.MapPartitionLostEvent;
import com.hazelcast.map.listener.MapPartitionLostListener;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the registry maps from the database when Hazelcast reports a partition of one of them lost:
 * every replica of it was on members that left at once (two of three members killed together, or a
 * frozen member whose peers also missed each other's heartbeats on a loaded host). Hazelcast does not
 * load a lost partition again when the map's key loader survived, and the registry's loader answers a
 * single-key miss from memory ({@link FullyLoadedMapStore}), so without this the lost numbers would stay
 * unknown (no card for a police number, no contact event for a fraud number) until a full restart.
 *
 * <p>The oldest member of the cluster (of each side, in a split) repairs, with {@link RegistryReload}
 * (missing keys loaded, every entry compared with its row), retried every few seconds while the
 * database or the cluster refuses; the other members log the loss only. A burst of events (one per
 * map and partition) makes one reload.
 */
final class LostPartitionRepair implements MapPartitionLostListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LostPartitionRepair.class);
    /** Events of one loss arrive within moments of each other; one reload after the burst covers them. */
    private static final long BURST_MILLIS = 1_000;
    private static final long RETRY_MILLIS = 5_000;

    private final RegistryMember member;
    private final RegistryStores stores;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicInteger lost = new AtomicInteger();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "registry-lost-partition-repair");
        t.setDaemon(true);
        return t;
    });

    LostPartitionRepair(RegistryMember member, RegistryStores stores) {
        this.member = requireNonNull(member, "member");
        this.stores = requireNonNull(stores, "stores");
    }

    @Override
    public void partitionLost(MapPartitionLostEvent event) {
        // One line per burst (below), not one per map and partition: a loss is hundreds of events.
        LOG.debug("registry map {} lost partition {}", event.getName(), event.getPartitionId());
        lost.incrementAndGet();
        if (pending.compareAndSet(false, true)) {
            try {
                executor.execute(this::repair);
            } catch (RejectedExecutionException closing) {
                pending.set(false);
            }
        }
    }

    private void repair() {
        try {
            Thread.sleep(BURST_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        pending.set(false);
        LOG.warn("{} registry map partitions lost: every replica of each was on members that left at once;"
                + " their entries are reloaded from the database", lost.getAndSet(0));
        if (!oldest()) {
            LOG.info("lost registry partitions are reloaded by the oldest member, not this one");
            return;
        }
        if (RegistryReload.runUntilDone(member, stores, "after lost partitions", RETRY_MILLIS, this::oldest)) {
            LOG.warn("lost registry partitions repaired: the registry maps were reloaded from the database");
        }
    }

    /** Whether this member is the oldest of its cluster: the one that repairs. */
    private boolean oldest() {
        return member.hazelcast().getCluster().getMembers().iterator().next().localMember();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
