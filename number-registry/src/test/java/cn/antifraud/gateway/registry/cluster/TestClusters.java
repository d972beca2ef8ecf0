package cn.antifraud.gateway.registry.cluster;

import cn.antifraud.gateway.registry.store.RegistryStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Starts real registry members on loopback, TCP-IP join on ports found free at run time. */
final class TestClusters {

    private TestClusters() {
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A config for {@code size} members on free loopback ports, each listing all of them. */
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
                    .members(members).build());
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
