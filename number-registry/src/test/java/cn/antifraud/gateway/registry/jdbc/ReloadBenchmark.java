package cn.antifraud.gateway.registry.jdbc;

import cn.antifraud.gateway.registry.FraudNumber;
import com.hazelcast.map.MapStore;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * Full reload of the fraud numbers through {@link JdbcRegistryStores}, the way Hazelcast's EAGER
 * initial load drives a {@code MapLoader}: one thread streams {@code loadAllKeys()}, groups the keys by
 * partition (271 partitions) and hands each partition's batch of {@code batch} keys (Hazelcast's
 * {@code hazelcast.map.load.chunk.size}, default 1000) to loader threads that call {@code loadAll}.
 *
 * <p>Run by {@code loadtest/registry-reload/run.sh}; arguments are {@code key=value}: {@code url}
 * (PostgreSQL JDBC URL, required), {@code rows} (default 10000000; the table is refilled by COPY when
 * its count differs), {@code runs} (default 3), {@code threads} (loader threads, default 4),
 * {@code batch} (default 1000), {@code pool} (connections, default threads + 1).
 */
public final class ReloadBenchmark {

    private static final int PARTITIONS = 271;

    private ReloadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("argument '" + a + "' is not key=value");
            }
            opts.put(kv[0], kv[1]);
        }
        String url = opts.get("url");
        if (url == null) {
            throw new IllegalArgumentException("url=jdbc:postgresql://... is required");
        }
        long rows = Long.parseLong(opts.getOrDefault("rows", "10000000"));
        int runs = Integer.parseInt(opts.getOrDefault("runs", "3"));
        int threads = Integer.parseInt(opts.getOrDefault("threads", "4"));
        int batch = Integer.parseInt(opts.getOrDefault("batch", "1000"));
        int pool = Integer.parseInt(opts.getOrDefault("pool", Integer.toString(threads + 1)));

        DatabaseConfig config = DatabaseConfig.builder(url).poolSize(pool).batchSize(batch).fetchSize(10_000).build();
        try (JdbcRegistryStores stores = JdbcRegistryStores.open(config)) {
            long present = stores.fraudNumberCount();
            if (present != rows) {
                long t0 = System.nanoTime();
                long copied = FraudNumberBulkLoader.fill(stores.dataSource(), rows);
                System.out.printf("insert: %d rows by COPY (+ VACUUM ANALYZE) in %.1f s%n", copied, seconds(t0));
            } else {
                System.out.printf("insert: table already holds %d rows, reused%n", present);
            }
            double[] keysOnly = new double[runs];
            double[] full = new double[runs];
            double[] jvmCpu = new double[runs];
            double[] pgCpu = new double[runs];
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                long keys = streamKeys(stores.fraudNumbers());
                keysOnly[r] = seconds(t0);
                double jvm0 = CpuClock.jvmSeconds();
                double pg0 = CpuClock.postgresSeconds();
                t0 = System.nanoTime();
                long loaded = reload(stores.fraudNumbers(), threads, batch);
                full[r] = seconds(t0);
                jvmCpu[r] = CpuClock.jvmSeconds() - jvm0;
                pgCpu[r] = CpuClock.postgresSeconds() - pg0;
                if (keys != rows || loaded != rows) {
                    throw new IllegalStateException("run " + r + ": streamed " + keys + " keys, loaded " + loaded
                            + " values, expected " + rows);
                }
                System.out.printf("run %d: loadAllKeys alone %.1f s; loadAllKeys + loadAll (%d threads, batch %d) %.1f s"
                        + " = %.0f rows/s; CPU: JVM %.1f s, PostgreSQL %.1f s%n", r + 1, keysOnly[r], threads, batch, full[r],
                        rows / full[r], jvmCpu[r], pgCpu[r]);
            }
            System.out.printf("median of %d runs: loadAllKeys %.1f s, full reload %.1f s, CPU JVM %.1f s + PostgreSQL %.1f s"
                    + " (rows=%d threads=%d batch=%d pool=%d)%n", runs, median(keysOnly), median(full), median(jvmCpu),
                    median(pgCpu), rows, threads, batch, pool);
        }
    }

    private static long streamKeys(MapStore<String, FraudNumber> store) throws IOException {
        Iterable<String> keys = store.loadAllKeys();
        long n = 0;
        for (String ignored : keys) {
            n++;
        }
        ((Closeable) keys).close();
        return n;
    }

    /** Streams keys, batches them per partition, and loads every batch on {@code threads} loader threads. */
    private static long reload(MapStore<String, FraudNumber> store, int threads, int batch) throws Exception {
        ExecutorService loaders = Executors.newFixedThreadPool(threads);
        LongAdder loaded = new LongAdder();
        List<Future<?>> pending = new ArrayList<>();
        try {
            List<List<String>> partitions = new ArrayList<>(PARTITIONS);
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new ArrayList<>(batch));
            }
            Iterable<String> keys = store.loadAllKeys();
            for (String key : keys) {
                List<String> part = partitions.get(Math.floorMod(key.hashCode(), PARTITIONS));
                part.add(key);
                if (part.size() == batch) {
                    pending.add(submit(loaders, store, List.copyOf(part), loaded));
                    part.clear();
                }
            }
            ((Closeable) keys).close();
            for (List<String> part : partitions) {
                if (!part.isEmpty()) {
                    pending.add(submit(loaders, store, List.copyOf(part), loaded));
                }
            }
            for (Future<?> f : pending) {
                f.get();
            }
        } finally {
            loaders.shutdownNow();
        }
        return loaded.sum();
    }

    private static Future<?> submit(ExecutorService loaders, MapStore<String, FraudNumber> store, List<String> keys,
                                    LongAdder loaded) {
        return loaders.submit(() -> {
            Map<String, FraudNumber> values = store.loadAll(keys);
            loaded.add(values.size());
        });
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
