package cn.antifraud.gateway.smpp.internal;

import cn.antifraud.gateway.registry.work.HazelcastWorkStores;
import cn.antifraud.gateway.registry.work.WorkStore;
import cn.antifraud.gateway.registry.work.WorkStoreSpec;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.UUID;

/** One real Hazelcast member on loopback (port chosen at start) with the SMS work stores, in cluster memory. */
final class WorkStoreMember implements AutoCloseable {
    private final HazelcastInstance member;
    private final HazelcastWorkStores stores = HazelcastWorkStores.clusterMemoryOnly(SmsWorkStores.ALL);

    WorkStoreMember(String name) {
        Config config = new Config().setClusterName(name + "-" + UUID.randomUUID());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.getNetworkConfig().setPort(0).getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        stores.configure(config, 1);
        member = Hazelcast.newHazelcastInstance(config);
        stores.attach(member);
    }

    HazelcastWorkStores stores() {
        return stores;
    }

    /** The member itself, for tests that look at what Hazelcast holds (an entry's time-to-live). */
    HazelcastInstance hazelcast() {
        return member;
    }

    <V> WorkStore<V> store(WorkStoreSpec<V> spec) {
        return stores.open(spec);
    }

    @Override
    public void close() {
        member.shutdown();
    }
}
