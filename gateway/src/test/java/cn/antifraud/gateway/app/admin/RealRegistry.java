package cn.antifraud.gateway.app.admin;

import cn.antifraud.gateway.app.Gateway;
import cn.antifraud.gateway.smpp.SmppGateway;
import cn.antifraud.gateway.registry.ContactEventQueries;
import cn.antifraud.gateway.registry.ImportJournal;
import cn.antifraud.gateway.registry.NumberRegistry;
import cn.antifraud.gateway.registry.cluster.HazelcastContactEventLog;
import cn.antifraud.gateway.registry.cluster.HazelcastNumberRegistry;
import cn.antifraud.gateway.registry.cluster.RegistryConfig;
import cn.antifraud.gateway.registry.cluster.RegistryMember;
import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.registry.jdbc.JdbcRegistryStores;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A real one-member registry on loopback (Hazelcast on a free port) written through to an H2 file,
 * wired as the gateway wires it: listings from the database, imports journaled.
 */
final class RealRegistry implements AutoCloseable {
    private final JdbcRegistryStores stores;
    private final RegistryMember member;
    private final HazelcastNumberRegistry registry;
    private final HazelcastContactEventLog contactEvents;
    private final ImportJournal imports;

    RealRegistry(Path dataDir) {
        this(DatabaseConfig.h2File(dataDir).build());
    }

    RealRegistry(DatabaseConfig database) {
        stores = JdbcRegistryStores.open(database);
        member = RegistryMember.start(RegistryConfig.builder().clusterName("admin-test-" + System.nanoTime())
                .bindAddress("127.0.0.1").port(0).build(), stores, SmppGateway.WORK_STORES);
        registry = new HazelcastNumberRegistry(member, stores.audit(), stores.listings(), stores.fraudNumbers());
        contactEvents = new HazelcastContactEventLog(member, Clock.systemUTC());
        imports = stores.importJournal("test-node");
    }

    HazelcastContactEventLog contactEvents() {
        return contactEvents;
    }

    ContactEventQueries contactEventQueries() {
        return Gateway.pendingContactEvents(contactEvents);
    }

    cn.antifraud.gateway.registry.work.WorkStores workStores() {
        return member.workStores();
    }

    com.hazelcast.core.HazelcastInstance hazelcast() {
        return member.hazelcast();
    }

    NumberRegistry registry() {
        return registry;
    }

    ImportJournal imports() {
        return imports;
    }

    JdbcRegistryStores stores() {
        return stores;
    }

    @Override
    public void close() {
        member.close();
        stores.close();
    }
}
