package cn.antifraud.gateway.smpp;

import cn.antifraud.gateway.registry.work.HazelcastWorkStores;
import cn.antifraud.gateway.registry.work.WorkStores;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Real Hazelcast members on loopback, TCP-IP join on free ports, multicast off, a cluster name per test. */
final class TestCluster implements AutoCloseable {
    private final String name = "smpp-test-" + UUID.randomUUID();
    private final List<Integer> ports = new ArrayList<>();
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final List<HazelcastWorkStores> stores = new ArrayList<>();

    TestCluster(int size) {
        for (int i = 0; i < size; i++) {
            ports.add(freePort());
        }
        for (int i = 0; i < size; i++) {
            members.add(startMember(i));
        }
        // Until the partitions have migrated and their backups are in sync, a member killed by a test can take
        // records with it that no backup holds yet: tests start writing only once the cluster is safe.
        Await.until("cluster of " + size + " safe", java.time.Duration.ofMinutes(5),
                () -> members.get(0).getCluster().getMembers().size() == size
                        && members.get(0).getPartitionService().isClusterSafe());
    }

    HazelcastInstance member(int i) {
        return members.get(i);
    }

    /** Member {@code i}'s SMS work stores (in cluster memory: these members have no database). */
    WorkStores stores(int i) {
        return stores.get(i);
    }

    private HazelcastInstance startMember(int i) {
        Config config = new Config();
        config.setClusterName(name);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.getNetworkConfig().setPort(ports.get(i)).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        for (int p : ports) {
            join.getTcpIpConfig().addMember("127.0.0.1:" + p);
        }
        HazelcastWorkStores work = HazelcastWorkStores.clusterMemoryOnly(SmppGateway.WORK_STORES);
        work.configure(config, 1);
        stores.add(work);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        work.attach(member);
        return member;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (HazelcastInstance m : members) {
            if (m.getLifecycleService().isRunning()) {
                m.getLifecycleService().terminate();
            }
        }
    }
}
