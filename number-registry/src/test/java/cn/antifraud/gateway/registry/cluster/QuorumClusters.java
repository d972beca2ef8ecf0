package cn.antifraud.gateway.registry.cluster;

import cn.antifraud.gateway.registry.store.RegistryStores;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.instance.impl.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Clusters with the default quorum (a majority of the members) for the split-brain tests, and their
 * waits. A member with a quorum above 1 waits at start until that many members have joined, so the
 * first {@code quorum} members start together and the rest one after the other.
 */
final class QuorumClusters {

    /** Bound against hanging only; every wait ends as soon as its condition holds. */
    static final Duration HANG_GUARD = Duration.ofSeconds(180);

    private QuorumClusters() {
    }

    /** Configs for {@code size} members, default quorum, automatic merge checks an hour apart (tests heal). */
    static List<RegistryConfig> configs(int size, RegistryConfig.NoQuorumBranding branding) {
        return TestClusters.configs(size).stream()
                .map(c -> c.toBuilder().quorum(0).noQuorumBranding(branding).mergeCheckInterval(Duration.ofHours(1)).build())
                .toList();
    }

    /** Starts every member of {@code configs} and waits until all of them see each other. */
    static List<RegistryMember> start(List<RegistryConfig> configs, RegistryStores stores) throws Exception {
        int together = configs.get(0).quorum();
        // A thread each: every start blocks until `together` members have joined, so a pool smaller than
        // that (the common pool has 2 threads on 2 cores) would never start the last of them.
        java.util.concurrent.ExecutorService starters = java.util.concurrent.Executors.newFixedThreadPool(together);
        List<RegistryMember> members = new ArrayList<>();
        try {
            List<CompletableFuture<RegistryMember>> first = new ArrayList<>();
            for (int i = 0; i < together; i++) {
                RegistryConfig c = configs.get(i);
                first.add(CompletableFuture.supplyAsync(() -> RegistryMember.start(c, stores), starters));
            }
            for (CompletableFuture<RegistryMember> f : first) {
                members.add(f.get());
            }
        } finally {
            starters.shutdown();
        }
        for (int i = together; i < configs.size(); i++) {
            members.add(RegistryMember.start(configs.get(i), stores));
        }
        RegistryMember last = members.get(members.size() - 1);
        await(configs.size() + " members", () -> last.hazelcast().getCluster().getMembers().size() == configs.size());
        return members;
    }

    /** Hazelcast's node behind a member, for the tests that drive suspicions and merges. */
    static Node node(HazelcastInstance instance) {
        return ((HazelcastInstanceProxy) instance).getOriginal().node;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + HANG_GUARD.toSeconds() + " s (hang guard): " + what);
            }
            Thread.sleep(20);
        }
    }
}
