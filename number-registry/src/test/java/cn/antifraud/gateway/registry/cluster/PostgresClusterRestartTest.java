package cn.antifraud.gateway.registry.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.registry.jdbc.JdbcRegistryStores;
import cn.antifraud.gateway.registry.jdbc.PostgresServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 2: a full restart of a three-member cluster sharing one PostgreSQL database (each member with
 * its own connection pool, as in production) reloads every entry.
 */
@ExtendWith(PostgresServer.class)
class PostgresClusterRestartTest {

    private static final int ENTRIES = 3_000;

    @Test
    void fullRestartOfThreeMembersReloadsEverythingFromPostgres(PostgresServer server) {
        DatabaseConfig database = server.newDatabase().build();
        List<RegistryConfig> configs = TestClusters.configs(3);
        Map<Long, FraudNumber> rows = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            FraudNumber f = Records.fraud(String.format("136%08d", i));
            rows.put(RegistryMember.fraudNumberKey(f.number()), f);
        }

        List<JdbcRegistryStores> pools = open(database, 3);
        List<RegistryMember> members = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                members.add(RegistryMember.start(configs.get(i), pools.get(i)));
            }
            HazelcastNumberRegistry registry = new HazelcastNumberRegistry(members.get(0), pools.get(0).audit());
            registry.putWarningNumber(Records.card("12381", "工信部反诈中心"), "test");
            members.get(1).fraudNumbers().putAll(rows);
        } finally {
            TestClusters.closeAll(members);
            pools.forEach(JdbcRegistryStores::close);
        }

        pools = open(database, 3);
        members = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                members.add(RegistryMember.start(configs.get(i), pools.get(i)));
            }
            RegistryMember last = members.get(2);
            assertEquals(ENTRIES, last.fraudNumbers().size(), "every fraud number reloaded");
            for (Map.Entry<Long, FraudNumber> row : rows.entrySet()) {
                assertEquals(row.getValue(), members.get(0).fraudNumbers().get(row.getKey()), "+" + row.getKey());
            }
            HazelcastNumberRegistry registry = new HazelcastNumberRegistry(last, pools.get(2).audit());
            assertEquals("工信部反诈中心", registry.warningNumber(PhoneNumbers.parse("12381")).orElseThrow().cardName());
        } finally {
            TestClusters.closeAll(members);
            pools.forEach(JdbcRegistryStores::close);
        }
    }

    private static List<JdbcRegistryStores> open(DatabaseConfig database, int count) {
        List<JdbcRegistryStores> pools = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pools.add(JdbcRegistryStores.open(database));
        }
        return pools;
    }
}
