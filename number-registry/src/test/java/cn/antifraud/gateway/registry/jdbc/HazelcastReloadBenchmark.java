package cn.antifraud.gateway.registry.jdbc;

import cn.antifraud.gateway.registry.cluster.RegistryConfig;
import cn.antifraud.gateway.registry.cluster.RegistryMember;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Full reload through a real Hazelcast member: {@link RegistryMember#start} with EAGER initial load
 * over {@link JdbcRegistryStores} on PostgreSQL, timed until the member answers with every row loaded.
 * This is the restart of a one-member cluster; the fraud table must already hold the rows (run
 * {@link ReloadBenchmark} first, which fills it by COPY).
 *
 * <p>Arguments {@code key=value}: {@code url} (required), {@code rows} (expected count, default
 * 10000000), {@code runs} (default 3), {@code pool} (connections per member, default 8), {@code members}
 * (default 1: members in this JVM, started together with {@code waitForMembers} = members, as in a
 * full-cluster restart; on one machine they share its cores, so this measures the cluster's total work).
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
        int memberCount = Integer.parseInt(opts.getOrDefault("members", "1"));
        double[] seconds = new double[runs];
        for (int r = 0; r < runs; r++) {
            DatabaseConfig config = DatabaseConfig.builder(url).poolSize(pool).build();
            List<JdbcRegistryStores> pools = new ArrayList<>();
            List<RegistryMember> members = new ArrayList<>();
            try {
                for (int i = 0; i < memberCount; i++) {
                    pools.add(JdbcRegistryStores.open(config));
                }
                long stored = pools.get(0).fraudNumberCount();
                if (stored != rows) {
                    throw new IllegalStateException("fraud_number holds " + stored + " rows, expected "
                            + rows + "; run ReloadBenchmark first to fill it");
                }
                List<RegistryConfig> configs = memberConfigs(memberCount);
                double jvm0 = CpuClock.jvmSeconds();
                double pg0 = CpuClock.postgresSeconds();
                long t0 = System.nanoTime();
                // Every member starts at once, as in a full-cluster restart; each waits for the others
                // (wait-for-members) so that each loads its own partitions.
                List<CompletableFuture<RegistryMember>> starting = new ArrayList<>();
                for (int i = 0; i < memberCount; i++) {
                    RegistryConfig c = configs.get(i);
                    JdbcRegistryStores stores = pools.get(i);
                    // A thread each: every start waits for the others (the common pool may have fewer threads).
                    starting.add(CompletableFuture.supplyAsync(() -> RegistryMember.start(c, stores),
                            task -> new Thread(task, "member-start").start()));
                }
                for (CompletableFuture<RegistryMember> f : starting) {
                    members.add(f.join());
                }
                int size = members.get(0).fraudNumbers().size();
                seconds[r] = (System.nanoTime() - t0) / 1e9;
                double jvmCpu = CpuClock.jvmSeconds() - jvm0;
                double pgCpu = CpuClock.postgresSeconds() - pg0;
                if (size != rows) {
                    throw new IllegalStateException("cluster holds " + size + " fraud numbers, expected " + rows);
                }
                Runtime rt = Runtime.getRuntime();
                System.gc();
                System.out.printf("run %d: %d member(s) started and loaded %d fraud numbers (EAGER) in %.1f s;"
                        + " CPU: JVM %.1f s, PostgreSQL %.1f s; heap used after GC %.0f MiB%n", r + 1, memberCount, size,
                        seconds[r], jvmCpu, pgCpu, (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
            } finally {
                members.forEach(RegistryMember::close);
                pools.forEach(JdbcRegistryStores::close);
            }
        }
        Arrays.sort(seconds);
        System.out.printf("median of %d runs: %d-member EAGER reload %.1f s (rows=%d pool=%d per member)%n", runs,
                memberCount, seconds[runs / 2], rows, pool);
    }

    private static List<RegistryConfig> memberConfigs(int count) throws IOException {
        String cluster = "reload-bench-" + UUID.randomUUID();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(freePort());
        }
        List<String> addresses = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        List<RegistryConfig> configs = new ArrayList<>();
        for (int port : ports) {
            configs.add(RegistryConfig.builder().clusterName(cluster).bindAddress("127.0.0.1").port(port)
                    .members(addresses).waitForMembers(count).build());
        }
        return configs;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
