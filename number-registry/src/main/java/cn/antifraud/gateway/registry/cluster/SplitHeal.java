package cn.antifraud.gateway.registry.cluster;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.store.RegistryStores;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a member back after a split brain: reloads the registry maps from the database
 * ({@link RegistryReload}) and only then gives the member its quorum back ({@link RegistryQuorum}).
 *
 * <p>Two ways back, one reload each:
 * <ul>
 *   <li><b>It merged into the other side</b> (Hazelcast's MERGING, then MERGED): its entries were discarded
 *       and it joined the larger cluster; from MERGING it has no quorum, and the reload starts at MERGED.</li>
 *   <li><b>The others merged into it</b>: with every member alone (a freeze that also cost the others their
 *       heartbeats, 1+1+1), Hazelcast may keep the stale minority's cluster and merge the others into it.
 *       That member sees no lifecycle event, only its quorum coming back ({@link RegistryQuorum#update}),
 *       and its maps, now the cluster's, are the minority's: without a reload it would brand a card the
 *       majority revoked while it was away. So a regained quorum reloads too.</li>
 * </ul>
 * Requests coalesce: a request while a reload runs makes one more run after it, never two at once. The
 * reload runs on its own daemon thread (lifecycle and membership events arrive on Hazelcast's event
 * threads, which must not wait for the database) and retries while the database or the cluster refuses.
 */
final class SplitHeal {
    private static final Logger LOG = LoggerFactory.getLogger(SplitHeal.class);

    private final RegistryQuorum quorum;
    private final RegistryStores stores;
    private final AtomicReference<RegistryMember> member;
    private final long retryMillis;
    // Guarded by this.
    private boolean merging;
    private boolean running;
    private long wanted;
    private long done;
    private String why = "";

    /** @param member set once the member has started; a request before that needs no reload (the start loads) */
    SplitHeal(RegistryQuorum quorum, RegistryStores stores, AtomicReference<RegistryMember> member, long retryMillis) {
        this.quorum = requireNonNull(quorum, "quorum");
        this.stores = requireNonNull(stores, "stores");
        this.member = requireNonNull(member, "member");
        this.retryMillis = retryMillis;
    }

    /** MERGING: this member's entries are being discarded; no quorum until the reload after MERGED. */
    synchronized void merging() {
        merging = true;
        quorum.reloading(true);
    }

    /** MERGED (reload now) or MERGE_FAILED (stays in its own cluster; nothing was discarded). */
    synchronized void mergeEnded(boolean merged) {
        merging = false;
        if (merged) {
            request("after a merge");
        } else if (!running) {
            quorum.reloading(false);
        }
    }

    /** The quorum came back ({@link RegistryQuorum#onRegained}); while merging, the MERGED reload covers it. */
    synchronized void quorumRegained() {
        if (!merging) {
            request("after this member regained its quorum");
        }
    }

    private void request(String reason) {
        quorum.reloading(true);
        wanted++;
        why = reason;
        if (!running) {
            running = true;
            Thread t = new Thread(this::runUntilCaughtUp, "registry-reload-after-split");
            t.setDaemon(true);
            t.start();
        }
    }

    private void runUntilCaughtUp() {
        while (true) {
            long target;
            String reason;
            synchronized (this) {
                if (done == wanted) {
                    running = false;
                    if (!merging) {
                        quorum.reloading(false);
                        LOG.info("split brain healed: registry maps reloaded from the database ({}); {}", why,
                                quorum.describe());
                    }
                    return;
                }
                target = wanted;
                reason = why;
            }
            RegistryMember m = member.get();
            if (m != null && !RegistryReload.runUntilDone(m, stores, reason, retryMillis, () -> true)) {
                synchronized (this) {
                    running = false;   // the member stopped: nobody needs the quorum any more
                }
                return;
            }
            synchronized (this) {
                done = target;
            }
        }
    }
}
