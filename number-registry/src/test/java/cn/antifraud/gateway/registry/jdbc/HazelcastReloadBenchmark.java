package cn.antifraud.gateway.registry.jdbc;

import cn.antifraud.gateway.registry.cluster.RegistryConfig;
import cn.antifraud.gateway.registry.cluster.RegistryMember;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Full reload through a real Hazelcast member: {@link RegistryMember#start} with EAGER initial load
 * over {@link JdbcRegistryStores} on PostgreSQL, timed until the member answers with every row loaded.
 * This is the restart of a one-member cluster; the fraud table must already hold the rows (run
 * {@link ReloadBenchmark} first, which fills it by COPY).
 *
 * <p>Arguments {@code key=value}: {@code url} (required), {@code rows} (expected count, default
 * 10000000), {@code runs} (default 3), {@code pool} (connections, default 8).
 */
public final class HazelcastReloadBenchmark {

    private HazelcastReloadBenchmark() {
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
        int pool = Integer.parseInt(opts.getOrDefault("pool", "8"));
        double[] seconds = new double[runs];
        for (int r = 0; r < runs; r++) {
            DatabaseConfig config = DatabaseConfig.builder(url).poolSize(pool).build();
            try (JdbcRegistryStores stores = JdbcRegistryStores.open(config)) {
                if (stores.fraudNumberCount() != rows) {
                    throw new IllegalStateException("fraud_number holds " + stores.fraudNumberCount() + " rows, expected "
                            + rows + "; run ReloadBenchmark first to fill it");
                }
                int port = freePort();
                RegistryConfig member = RegistryConfig.builder().clusterName("reload-bench-" + UUID.randomUUID())
                        .bindAddress("127.0.0.1").port(port).members(List.of("127.0.0.1:" + port)).build();
                double jvm0 = CpuClock.jvmSeconds();
                double pg0 = CpuClock.postgresSeconds();
                long t0 = System.nanoTime();
                try (RegistryMember m = RegistryMember.start(member, stores)) {
                    int size = m.fraudNumbers().size();
                    seconds[r] = (System.nanoTime() - t0) / 1e9;
                    double jvmCpu = CpuClock.jvmSeconds() - jvm0;
                    double pgCpu = CpuClock.postgresSeconds() - pg0;
                    if (size != rows) {
                        throw new IllegalStateException("member holds " + size + " fraud numbers, expected " + rows);
                    }
                    Runtime rt = Runtime.getRuntime();
                    System.gc();
                    System.out.printf("run %d: member started and loaded %d fraud numbers (EAGER) in %.1f s;"
                            + " CPU: JVM %.1f s, PostgreSQL %.1f s; heap used after GC %.0f MiB%n", r + 1, size, seconds[r],
                            jvmCpu, pgCpu, (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
                }
            }
        }
        Arrays.sort(seconds);
        System.out.printf("median of %d runs: one-member EAGER reload %.1f s (rows=%d pool=%d)%n", runs,
                seconds[runs / 2], rows, pool);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
