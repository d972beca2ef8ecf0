package cn.antifraud.gateway.registry.bench;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.cluster.HazelcastNumberRegistry;
import cn.antifraud.gateway.registry.cluster.RegistryMember;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SIP hot path's registry lookups, answered from the member's near cache: a hit (the number is
 * listed) and a miss (it is not; the miss itself is cached). Target: under 1 µs each (design brief).
 *
 * <p>Keys rotate over {@value #KEYS} numbers so the benchmark does not measure one cache line.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dhazelcast.phone.home.enabled=false", "-Dhazelcast.logging.type=none"})
public class NearCacheLookupBenchmark {

    static final int KEYS = 1024;
    private static final Instant NOW = BenchRecords.ADDED.plusSeconds(60);

    private RegistryMember member;
    private HazelcastNumberRegistry registry;
    private PhoneNumber[] listed;
    private PhoneNumber[] absent;
    private int next;

    @Setup(Level.Trial)
    public void start() {
        member = BenchMember.start(100_000);
        registry = new HazelcastNumberRegistry(member, new DiscardingStores().audit());
        listed = new PhoneNumber[KEYS];
        absent = new PhoneNumber[KEYS];
        Map<Long, FraudNumber> fraud = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            listed[i] = BenchRecords.mobile(i);
            absent[i] = BenchRecords.mobile(1_000_000 + i);
            fraud.put(RegistryMember.fraudNumberKey(listed[i]), BenchRecords.fraud(i));
            registry.putWarningNumber(BenchRecords.card(listed[i]), "bench");
        }
        member.fraudNumbers().putAll(fraud);
        for (int i = 0; i < KEYS; i++) {
            // Blocking reads fill the near cache (values and cached misses) before measuring.
            registry.warningNumber(listed[i]);
            registry.warningNumber(absent[i]);
            registry.fraudNumber(listed[i]);
            registry.fraudNumber(absent[i]);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        // Every measured lookup must have been answered from the near cache, or the figures lie.
        if (registry.coldLookups() != 0) {
            throw new IllegalStateException(registry.coldLookups() + " lookups missed the near cache");
        }
        member.close();
    }

    private int nextIndex() {
        int i = next;
        next = (i + 1) & (KEYS - 1);
        return i;
    }

    @Benchmark
    public Optional<?> brandableCardHit() {
        return registry.brandableCard(listed[nextIndex()], NOW);
    }

    @Benchmark
    public Optional<?> brandableCardMiss() {
        return registry.brandableCard(absent[nextIndex()], NOW);
    }

    @Benchmark
    public Optional<?> activeFraudNumberHit() {
        return registry.activeFraudNumber(listed[nextIndex()], NOW);
    }

    @Benchmark
    public Optional<?> activeFraudNumberMiss() {
        return registry.activeFraudNumber(absent[nextIndex()], NOW);
    }

    /** Reference: Hazelcast's own blocking near-cached {@code IMap.get}, a hit. */
    @Benchmark
    public Object imapGetHit() {
        return member.fraudNumbers().get(RegistryMember.fraudNumberKey(listed[nextIndex()]));
    }
}
