package cn.antifraud.gateway.registry.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Continuations of Hazelcast's futures through {@link HazelcastFutures#inPlace} run on the Hazelcast thread that
 * completed the future, not on the common pool (where Hazelcast's own {@code thenApply} runs them, or on a new
 * thread each where that pool has one thread), and start no thread; against a real member.
 */
class HazelcastFuturesTest {
    private static final int CALLS = 1_000;

    private HazelcastInstance member;
    private IMap<String, String> map;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    /** Names of the threads the continuations ran on (the calling thread when a future was already complete). */
    private final java.util.Set<String> ranOn = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() {
        Config config = new Config().setClusterName("futures-" + UUID.randomUUID());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.getNetworkConfig().setPort(0).getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        member = Hazelcast.newHazelcastInstance(config);
        map = member.getMap("futures");
    }

    @AfterEach
    void stop() {
        member.shutdown();
    }

    @Test
    void continuationsInPlaceStartNoThread() throws Exception {
        // Warm: the first calls start Hazelcast's own worker threads, once.
        runInPlace(50);
        long before = threads.getTotalStartedThreadCount();
        int done = runInPlace(CALLS);
        long started = threads.getTotalStartedThreadCount() - before;
        assertEquals(CALLS * 3, done, "every continuation ran");
        assertTrue(started < 20, started + " threads started for " + CALLS * 3 + " continuations");
        assertEquals(java.util.Set.of(), ranOn.stream().filter(name -> !name.startsWith("hz.")).collect(
                java.util.stream.Collectors.toSet()), "continuations ran on Hazelcast's threads only");
    }

    private void ran(AtomicInteger ran) {
        String name = Thread.currentThread().getName();
        if (!name.equals("main")) {
            ranOn.add(name);
        }
        ran.incrementAndGet();
    }

    /** setAsync, getAsync and submitToKey, each with a continuation through inPlace; returns how many ran. */
    private int runInPlace(int n) throws Exception {
        AtomicInteger ran = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = "k" + i;
            all.add(HazelcastFutures.inPlace(map.setAsync(key, "v")).thenRun(() -> ran(ran)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
        all.clear();
        for (int i = 0; i < n; i++) {
            String key = "k" + i;
            all.add(HazelcastFutures.inPlace(map.getAsync(key)).thenAccept(v -> ran(ran)));
            all.add(HazelcastFutures.inPlace(map.submitToKey(key, e -> e.getValue())).thenAccept(v -> ran(ran)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
        return ran.get();
    }
}
