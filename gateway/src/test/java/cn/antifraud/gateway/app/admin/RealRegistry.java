package cn.antifraud.gateway.app.admin;

import cn.antifraud.gateway.registry.NumberRegistry;
import cn.antifraud.gateway.registry.cluster.HazelcastContactEventLog;
import cn.antifraud.gateway.registry.cluster.HazelcastNumberRegistry;
import cn.antifraud.gateway.registry.cluster.RegistryConfig;
import cn.antifraud.gateway.registry.cluster.RegistryMember;
import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.registry.jdbc.JdbcRegistryStores;
import java.nio.file.Path;
import java.time.Clock;

/** A real one-member registry on loopback (Hazelcast on a free port) written through to an H2 file. */
final class RealRegistry implements AutoCloseable {
    private final JdbcRegistryStores stores;
    private final RegistryMember member;
    private final HazelcastNumberRegistry registry;
    private final HazelcastContactEventLog contactEvents;

    RealRegistry(Path dataDir) {
        stores = JdbcRegistryStores.open(DatabaseConfig.h2File(dataDir).build());
        member = RegistryMember.start(RegistryConfig.builder().clusterName("admin-test-" + System.nanoTime())
                .bindAddress("127.0.0.1").port(0).build(), stores);
        registry = new HazelcastNumberRegistry(member, stores.audit());
        contactEvents = new HazelcastContactEventLog(member, Clock.systemUTC());
    }

    HazelcastContactEventLog contactEvents() {
        return contactEvents;
    }

    com.hazelcast.core.HazelcastInstance hazelcast() {
        return member.hazelcast();
    }

    NumberRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        member.close();
        stores.close();
    }
}
