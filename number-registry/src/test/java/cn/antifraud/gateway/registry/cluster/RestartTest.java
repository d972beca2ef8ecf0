package cn.antifraud.gateway.registry.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A full restart of a one-member cluster reloads every map from its store (EAGER initial load), and
 * the near cache answers hot-path lookups from the reloaded data.
 */
class RestartTest {

    @Test
    void fullRestartReloadsEveryMapFromTheStore() {
        MemoryStores database = new MemoryStores();
        RegistryConfig config = TestClusters.configs(1).get(0);
        ContactEvent event = new ContactEvent("call-1", PhoneNumbers.parse("13800138000"),
                PhoneNumbers.parse("17012345678"), ContactEvent.Direction.FRAUD_TO_SUBSCRIBER, "call-1@host",
                Records.T0, "trunk-a", FraudType.ROMANCE);

        try (RegistryMember first = RegistryMember.start(config, database)) {
            HazelcastNumberRegistry registry = new HazelcastNumberRegistry(first, database.audit());
            registry.putWarningNumber(Records.card("12381", "工信部反诈中心"), "test");
            registry.putFraudNumber(Records.fraud("17012345678"), "test");
            registry.putFamilyContacts(new FamilyContacts(PhoneNumbers.parse("13800138000"),
                    List.of(PhoneNumbers.parse("13900139000")), true, Records.T0), "test");
            new HazelcastContactEventLog(first, Clock.systemUTC()).publish(event).toCompletableFuture().join();
        }

        try (RegistryMember second = RegistryMember.start(config, database)) {
            HazelcastNumberRegistry registry = new HazelcastNumberRegistry(second, database.audit());
            assertEquals("工信部反诈中心", registry.brandableCard(PhoneNumbers.parse("12381"), Records.T0.plusSeconds(1))
                    .orElseThrow().cardName(), "warning numbers are loaded and warmed into the near cache");
            assertTrue(registry.fraudNumber(PhoneNumbers.parse("17012345678")).isPresent());
            assertEquals(1, registry.familyContacts(PhoneNumbers.parse("13800138000")).orElseThrow().contacts().size());
            List<ContactEvent> claimed = new HazelcastContactEventLog(second, Clock.systemUTC())
                    .claim("smpp-1", 10, Duration.ofMinutes(1));
            assertEquals(List.of(event), claimed, "the durable contact event survived the restart");
        }
    }
}
