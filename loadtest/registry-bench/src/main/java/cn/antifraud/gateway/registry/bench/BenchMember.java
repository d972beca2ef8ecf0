package cn.antifraud.gateway.registry.bench;

import cn.antifraud.gateway.registry.cluster.RegistryConfig;
import cn.antifraud.gateway.registry.cluster.RegistryMember;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.UUID;

/** A one-member registry on loopback, on a port free at run time, for the benchmarks. */
final class BenchMember {

    private BenchMember() {
    }

    static RegistryMember start(int nearCacheMaxEntries) {
        RegistryConfig config = RegistryConfig.builder()
                .clusterName("bench-" + UUID.randomUUID())
                .bindAddress("127.0.0.1")
                .port(freePort())
                .nearCacheMaxEntries(nearCacheMaxEntries)
                .build();
        return RegistryMember.start(config, new DiscardingStores());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
