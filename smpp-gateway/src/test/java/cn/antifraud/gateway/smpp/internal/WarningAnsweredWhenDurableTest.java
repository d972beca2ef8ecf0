package cn.antifraud.gateway.smpp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.cluster.RegistryConfig;
import cn.antifraud.gateway.registry.cluster.RegistryMember;
import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.registry.jdbc.JdbcRegistryStores;
import cn.antifraud.gateway.smpp.BindConfig;
import cn.antifraud.gateway.smpp.SmppGateway;
import cn.antifraud.gateway.smpp.SmppGatewayConfig;
import cn.antifraud.gateway.smpp.SmscConfig;
import cn.antifraud.gateway.smpp.WarningRecord;
import cn.antifraud.gateway.smpp.WarningRequest;
import cn.antifraud.gateway.smpp.template.WarningTemplates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warning is answered only once everything it wrote is in the database: its record, each job, and each
 * dedup entry it claimed (tier 2 claims two). The dedup entry is claimed in cluster memory and its commit is
 * awaited together with the warning's rows, not before them; this checks, on a real H2 file with a real
 * Hazelcast member, that the answer still means all of it is committed, one warning at a time and in a batch.
 * The journal's minimum commit interval is raised to 20 ms so that the rows of one warning could fall into
 * different transactions if their order were not kept.
 */
class WarningAnsweredWhenDurableTest {
    private static final Duration HANG_GUARD = Duration.ofMinutes(5);
    private static final PhoneNumber CONTACT = PhoneNumbers.parse("13700137000");

    @TempDir
    Path dataDir;

    @Test
    void everyRowOfAnAnsweredWarningIsCommitted() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try (JdbcRegistryStores stores = JdbcRegistryStores.open(DatabaseConfig.h2File(dataDir)
                .minCommitInterval(Duration.ofMillis(20)).build());
             RegistryMember member = RegistryMember.start(config(), stores, SmppGateway.WORK_STORES)) {
            SmppGatewayConfig config = SmppGatewayConfig.builder()
                    .addSmsc(SmscConfig.builder().name("sim").host("127.0.0.1").port(2775)
                            .addBind(BindConfig.builder().systemId("antifraud").password("secret").build()).build())
                    .build();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            JobEngine engine = new JobEngine(config, member.workStores(), executor, meters);
            WarningTemplates templates = WarningTemplates.load(Files.isDirectory(Path.of("config", "templates"))
                    ? Path.of("config", "templates") : Path.of("..", "config", "templates"));
            DefaultWarningService service = new DefaultWarningService(config, templates,
                    subscriber -> Optional.of(new FamilyContacts(subscriber, List.of(CONTACT), true, java.time.Instant.now())),
                    engine, member.workStores(), executor, meters);

            List<WarningRecord> answered = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                WarningRecord one = service.warn(request(13800000000L + i, 1 + i % 2)).toCompletableFuture()
                        .get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
                assertStored(stores, one);
                answered.add(one);
            }
            List<WarningRequest> batch = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                batch.add(request(13900000000L + i, 1 + i % 2));
            }
            for (var future : service.warnAll(batch)) {
                WarningRecord one = future.toCompletableFuture().get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
                assertStored(stores, one);
                answered.add(one);
            }
            assertEquals(60, answered.size());
            assertTrue(answered.stream().anyMatch(w -> w.jobIds().size() == 3),
                    "tier 2 with a consenting family contact: flash, tier 1 and the contact's SMS");
        } finally {
            executor.shutdownNow();
        }
    }

    private static WarningRequest request(long subscriber, int tier) {
        return new WarningRequest(PhoneNumbers.parse(Long.toString(subscriber)), FraudType.values()[0], tier, null,
                WarningRequest.Source.POLICE);
    }

    /** Checks the rows right after the answer, without waiting: the answer must mean they are there. */
    private static void assertStored(JdbcRegistryStores stores, WarningRecord warning) throws Exception {
        String subscriber = warning.request().subscriber().e164();
        assertTrue(hasRow(stores, SmsWorkStores.WARNINGS.name(), warning.id()), "warning " + warning.id());
        for (String job : warning.jobIds()) {
            assertTrue(hasRow(stores, SmsWorkStores.JOBS.name(), job), "job " + job + " of " + warning.id());
        }
        assertTrue(hasRow(stores, SmsWorkStores.DEDUP.name(), subscriber + "|" + warning.request().tier()),
                "the dedup entry of " + warning.id());
        if (warning.request().tier() == 2) {
            assertTrue(hasRow(stores, SmsWorkStores.DEDUP.name(), subscriber + "|1"),
                    "the tier-1 dedup entry a tier-2 warning claims, of " + warning.id());
        }
    }

    private static boolean hasRow(JdbcRegistryStores stores, String store, String key) throws Exception {
        try (Connection c = stores.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement(
                     "SELECT COUNT(*) FROM work_entry WHERE store_name = ? AND entry_key = ? AND value_bytes IS NOT NULL")) {
            p.setString(1, store);
            p.setString(2, key);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    private static RegistryConfig config() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return RegistryConfig.builder().clusterName("answered-" + UUID.randomUUID()).bindAddress("127.0.0.1").port(port)
                .members(List.of("127.0.0.1:" + port)).build();
    }
}
