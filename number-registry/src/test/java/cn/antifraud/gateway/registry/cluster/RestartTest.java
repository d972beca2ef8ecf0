package cn.antifraud.gateway.registry.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.AuditRecord;
import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.registry.jdbc.JdbcRegistryStores;
import cn.antifraud.gateway.registry.store.RegistryStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full restart of a one-member cluster reloads every map from the database (EAGER initial load):
 * with the real H2 file store (the single-node default), and with the in-JVM store.
 */
class RestartTest {

    private static final ContactEvent EVENT = new ContactEvent("call-1", PhoneNumbers.parse("13800138000"),
            PhoneNumbers.parse("17012345678"), ContactEvent.Direction.FRAUD_TO_SUBSCRIBER, "call-1@host",
            Records.T0, "trunk-a", FraudType.ROMANCE);

    @Test
    void fullRestartReloadsEverythingFromTheH2File(@TempDir Path dataDir) {
        Supplier<RegistryStores> database = () -> JdbcRegistryStores.open(DatabaseConfig.h2File(dataDir).build());
        restartReloadsEverything(database);
        try (RegistryStores reopened = database.get()) {
            List<AuditRecord> audit = reopened.audit().page(0, 10).items();
            assertEquals(List.of("PUT", "PUT", "PUT"), audit.stream().map(AuditRecord::action).toList(),
                    "the audit is durable too");
            assertTrue(audit.get(0).after().contains("工信部反诈中心"), audit.get(0).after());
        }
    }

    @Test
    void fullRestartReloadsEverythingFromTheInJvmStore() {
        MemoryStores database = new MemoryStores();
        restartReloadsEverything(() -> database);
    }

    private static void restartReloadsEverything(Supplier<RegistryStores> database) {
        RegistryConfig config = TestClusters.configs(1).get(0);
        try (RegistryStores stores = database.get(); RegistryMember first = RegistryMember.start(config, stores)) {
            HazelcastNumberRegistry registry = new HazelcastNumberRegistry(first, stores.audit());
            registry.putWarningNumber(Records.card("12381", "工信部反诈中心"), "test");
            registry.putFraudNumber(Records.fraud("17012345678"), "test");
            registry.putFamilyContacts(new FamilyContacts(PhoneNumbers.parse("13800138000"),
                    List.of(PhoneNumbers.parse("13900139000")), true, Records.T0), "test");
            new HazelcastContactEventLog(first, Clock.systemUTC()).publish(EVENT).toCompletableFuture().join();
        }

        try (RegistryStores stores = database.get(); RegistryMember second = RegistryMember.start(config, stores)) {
            HazelcastNumberRegistry registry = new HazelcastNumberRegistry(second, stores.audit());
            assertEquals(Records.card("12381", "工信部反诈中心"),
                    registry.brandableCard(PhoneNumbers.parse("12381"), Records.T0.plusSeconds(1)).orElseThrow(),
                    "warning numbers are reloaded and warmed into the near cache");
            assertEquals(Records.fraud("17012345678"), registry.fraudNumber(PhoneNumbers.parse("17012345678")).orElseThrow());
            assertEquals(1, registry.familyContacts(PhoneNumbers.parse("13800138000")).orElseThrow().contacts().size());
            List<ContactEvent> claimed = new HazelcastContactEventLog(second, Clock.systemUTC())
                    .claim("smpp-1", 10, Duration.ofMinutes(1));
            assertEquals(List.of(EVENT), claimed, "the durable contact event survived the restart");
        }
    }
}
