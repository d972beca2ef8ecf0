package cn.antifraud.gateway.registry.bench;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.cluster.HazelcastNumberRegistry;
import cn.antifraud.gateway.registry.cluster.RegistryMember;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU time per hot-path lookup, measured with the thread's CPU clock instead of the wall clock.
 *
 * <p>Why beside JMH: on a machine shared with other busy processes, JMH's wall-clock averages include
 * the time the benchmark thread waited for a core (they varied 2 to 4 times between runs here). The
 * thread's CPU time counts only the time it ran, so this figure does not depend on the neighbours
 * (cache and memory-bus contention still do). Same setup as {@link NearCacheLookupBenchmark}.
 *
 * <p>Usage: {@code java -cp registry-bench.jar cn.antifraud.gateway.registry.bench.CpuTimePerLookup
 * [lookupsPerRound] [rounds]}; prints the median and range over the rounds for each lookup kind.
 */
public final class CpuTimePerLookup {

    private static final int KEYS = 1024;
    private static final Instant NOW = BenchRecords.ADDED.plusSeconds(60);

    private CpuTimePerLookup() {
    }

    public static void main(String[] args) {
        int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        RegistryMember member = BenchMember.start(100_000);
        try (HazelcastNumberRegistry registry = new HazelcastNumberRegistry(member, new DiscardingStores().audit())) {
            PhoneNumber[] listed = new PhoneNumber[KEYS];
            PhoneNumber[] absent = new PhoneNumber[KEYS];
            Map<Long, FraudNumber> fraud = new HashMap<>();
            for (int i = 0; i < KEYS; i++) {
                listed[i] = BenchRecords.mobile(i);
                absent[i] = BenchRecords.mobile(1_000_000 + i);
                fraud.put(RegistryMember.fraudNumberKey(listed[i]), BenchRecords.fraud(i));
                registry.putWarningNumber(BenchRecords.card(listed[i]), "bench");
            }
            member.fraudNumbers().putAll(fraud);
            for (int i = 0; i < KEYS; i++) {
                registry.warningNumber(listed[i]);
                registry.warningNumber(absent[i]);
                registry.fraudNumber(listed[i]);
                registry.fraudNumber(absent[i]);
            }
            measure("activeFraudNumber hit", listed, n -> registry.activeFraudNumber(n, NOW).isPresent(), perRound, rounds);
            measure("activeFraudNumber miss", absent, n -> registry.activeFraudNumber(n, NOW).isPresent(), perRound, rounds);
            measure("brandableCard hit", listed, n -> registry.brandableCard(n, NOW).isPresent(), perRound, rounds);
            measure("brandableCard miss", absent, n -> registry.brandableCard(n, NOW).isPresent(), perRound, rounds);
            measure("IMap.get hit (reference)", listed, n -> member.fraudNumbers().get(RegistryMember.fraudNumberKey(n)) != null, perRound, rounds);
            System.out.printf(Locale.ROOT, "cold lookups during the run: %d (must be 0)%n", registry.coldLookups());
        } finally {
            member.close();
        }
    }

    private static void measure(String what, PhoneNumber[] keys, Predicate<PhoneNumber> lookup, int perRound, int rounds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] nanosPerLookup = new double[rounds];
        long found = 0;
        for (int warm = 0; warm < perRound; warm++) {
            found += lookup.test(keys[warm & (KEYS - 1)]) ? 1 : 0;
        }
        for (int r = 0; r < rounds; r++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < perRound; i++) {
                found += lookup.test(keys[i & (KEYS - 1)]) ? 1 : 0;
            }
            nanosPerLookup[r] = (threads.getCurrentThreadCpuTime() - start) / (double) perRound;
        }
        Arrays.sort(nanosPerLookup);
        System.out.printf(Locale.ROOT, "%-28s CPU ns/lookup median %7.1f  min %7.1f  max %7.1f  (%d rounds x %d; found %d)%n",
                what, nanosPerLookup[rounds / 2], nanosPerLookup[0], nanosPerLookup[rounds - 1], rounds, perRound, found);
    }
}
