package cn.antifraud.gateway.registry.bench;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.cluster.RegistryMember;
import com.hazelcast.map.IMap;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the heap a registry member needs per fraud number: starts one member, stores N fraud
 * numbers, and compares the used heap after full collections before and after. Then looks up
 * {@code nearCacheLookups} of them so their near-cache entries (OBJECT format) are measured too.
 *
 * <p>Usage: {@code java -Xmx6g -cp registry-bench.jar cn.antifraud.gateway.registry.bench.HeapPerEntry
 * 10000000 [nearCacheLookups]}. A member of a cluster of M members with one backup holds about
 * 2N/M entries (owned and backup), which is how the figure is extrapolated to a cluster.
 */
public final class HeapPerEntry {

    private static final int BATCH = 10_000;

    private HeapPerEntry() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: HeapPerEntry ENTRIES [NEAR_CACHE_LOOKUPS]");
        }
        long entries = Long.parseLong(args[0]);
        int lookups = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        RegistryMember member = BenchMember.start(Math.max(1, lookups));
        try {
            IMap<Long, FraudNumber> map = member.fraudNumbers();
            long base = usedAfterGc();
            long started = System.nanoTime();
            Map<Long, FraudNumber> batch = new HashMap<>();
            for (long i = 0; i < entries; i++) {
                FraudNumber f = BenchRecords.fraud(i);
                batch.put(RegistryMember.fraudNumberKey(f.number()), f);
                if (batch.size() == BATCH) {
                    map.putAll(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                map.putAll(batch);
            }
            double loadSeconds = (System.nanoTime() - started) / 1e9;
            long loaded = usedAfterGc();
            long perEntry = (loaded - base) / entries;
            long cost = map.getLocalMapStats().getOwnedEntryMemoryCost();
            report("entries", entries);
            report("max heap (MiB)", Runtime.getRuntime().maxMemory() >> 20);
            report("used heap before (MiB)", base >> 20);
            report("used heap after (MiB)", loaded >> 20);
            report("heap per entry (B)", perEntry);
            report("Hazelcast owned entry cost per entry (B)", cost / entries);
            System.out.printf(Locale.ROOT, "%-45s %.1f%n", "putAll time (s)", loadSeconds);
            System.out.printf(Locale.ROOT, "%-45s %.2f%n", "extrapolated heap for 10M entries (GiB)",
                    perEntry * 10_000_000.0 / (1L << 30));

            if (lookups > 0) {
                for (long i = 0; i < lookups; i++) {
                    map.get(RegistryMember.fraudNumberKey(BenchRecords.mobile(i)));
                }
                long cached = usedAfterGc();
                report("near-cache lookups", lookups);
                report("near-cache entries", map.getLocalMapStats().getNearCacheStats().getOwnedEntryCount());
                report("heap per near-cache entry (B)", (cached - loaded) / lookups);
            }
        } finally {
            member.close();
        }
    }

    private static void report(String what, long value) {
        System.out.printf(Locale.ROOT, "%-45s %d%n", what, value);
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
