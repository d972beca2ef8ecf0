package cn.antifraud.gateway.registry.work;

import cn.antifraud.gateway.registry.cluster.RegistryConfig;
import cn.antifraud.gateway.registry.cluster.RegistryMember;
import cn.antifraud.gateway.registry.store.RegistryStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Real registry members on loopback ports free at run time, one cluster per call, started one after another. */
final class TestMembers {
    private TestMembers() {
    }

    static List<RegistryMember> start(int size, RegistryStores stores, List<WorkStoreSpec<?>> specs) {
        String cluster = "work-test-" + UUID.randomUUID();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(freePort());
        }
        List<String> addresses = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        List<RegistryMember> members = new ArrayList<>();
        for (int port : ports) {
            members.add(RegistryMember.start(RegistryConfig.builder().clusterName(cluster).bindAddress("127.0.0.1")
                    .port(port).members(addresses).quorum(1).build(), stores, specs));
        }
        return members;
    }

    /**
     * Waits until every member has joined and the partitions have migrated with their backups in sync: before
     * that the first member owns every record, and a test that kills members proves nothing (found on a busy
     * machine). {@code maxMillis} only guards against a hang.
     */
    static void awaitSafe(List<RegistryMember> members, long maxMillis) {
        long deadline = System.currentTimeMillis() + maxMillis;
        var first = members.get(0).hazelcast();
        while (first.getCluster().getMembers().size() < members.size() || !first.getPartitionService().isClusterSafe()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(members.size() + " members never formed a safe cluster");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Below Linux's ephemeral range, so an outgoing connection of a member cannot take the next member's port. */
    private static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 20_000 + (int) (Math.random() * 12_000);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException busy) {
                // Taken on this shared machine: try another.
            }
        }
        throw new UncheckedIOException(new IOException("no free port in 20000-31999 after 100 attempts"));
    }
}
