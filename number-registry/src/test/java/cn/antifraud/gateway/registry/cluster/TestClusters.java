package cn.antifraud.gateway.registry.cluster;

import cn.antifraud.gateway.registry.store.RegistryStores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Starts real registry members on loopback, TCP-IP join on ports found free at run time. */
final class TestClusters {

    private static final Random RANDOM = new Random();

    private TestClusters() {
    }

    /**
     * A port that is free now, chosen below Linux's ephemeral range (32768-60999): a member that
     * connects to a peer not yet listening takes an ephemeral local port, which could be the very
     * port chosen for the next member if we chose from that range too.
     */
    static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 20_000 + RANDOM.nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException busy) {
                // Taken by someone else on this shared machine: try another.
            }
        }
        throw new IllegalStateException("no free port found in 20000-31999 after 100 attempts");
    }

    /**
     * A config for {@code size} members on free loopback ports, each listing all of them. Quorum 1: these
     * clusters are started one member at a time ({@link #start}), and a quorum above 1 would hold the
     * first member at start until a second one joins; {@code SplitBrainTest} is the test of quorums.
     */
    static List<RegistryConfig> configs(int size) {
        String cluster = "test-" + UUID.randomUUID();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(freePort());
        }
        List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        List<RegistryConfig> configs = new ArrayList<>();
        for (int port : ports) {
            configs.add(RegistryConfig.builder().clusterName(cluster).bindAddress("127.0.0.1").port(port)
                    .members(members).quorum(1).build());
        }
        return configs;
    }

    /**
     * Starts the members one after the other against one shared database. Sequential on purpose: members
     * that start together can each form a cluster of one and only merge minutes later.
     */
    static List<RegistryMember> start(List<RegistryConfig> configs, RegistryStores stores) {
        List<RegistryMember> members = new ArrayList<>();
        for (RegistryConfig c : configs) {
            members.add(RegistryMember.start(c, stores));
        }
        return members;
    }

    static void closeAll(List<RegistryMember> members) {
        if (members != null) {
            members.forEach(RegistryMember::close);
        }
    }
}
