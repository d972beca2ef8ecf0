package cn.antifraud.gateway.smpp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.cluster.RegistryConfig;
import cn.antifraud.gateway.registry.cluster.RegistryMember;
import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.registry.jdbc.JdbcRegistryStores;
import cn.antifraud.gateway.registry.work.WorkStores;
import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.SmppGateway;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.WarningRecord;
import cn.antifraud.gateway.smpp.WarningRequest;
import cn.antifraud.gateway.smpp.encoding.SmsKind;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade from the release that kept jobs in {@code durable.*} maps (JobCodec bytes, base64 inside a
 * {@code StoredJob} JSON row; warnings and index entries as JSON rows) loses no queued job: the new member
 * takes the rows over into the work stores at its first start, on a real H2 file.
 */
class WorkStoreUpgradeTest {
    /** As the previous release's write-through store wrote JSON. */
    private static final ObjectMapper PREVIOUS_RELEASE_JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @TempDir
    Path dataDir;

    @Test
    void jobsWarningsAndIndexEntriesOfThePreviousReleaseAreReadAfterTheUpgrade() throws Exception {
        Instant t = Instant.parse("2026-12-01T08:00:00.123456Z");
        SmsJob queued = SmsJob.queued("job-v2", "w1", "+8613800138000", SmsKind.FLASH, "反诈提醒：请勿转账", 7, 1, t);
        WarningRecord warning = new WarningRecord("w1", new WarningRequest(PhoneNumbers.parse("+8613800138000"),
                FraudType.values()[0], 2, PhoneNumbers.parse("+8617012345678"), WarningRequest.Source.POLICE), t,
                List.of("job-v2", "job-v1"), "");
        try (JdbcRegistryStores stores = JdbcRegistryStores.open(DatabaseConfig.h2File(dataDir).build())) {
            legacyRow(stores, "durable.sms-jobs", "job-v2", "cn.antifraud.gateway.smpp.internal.StoredJob",
                    Map.of("data", Base64.getEncoder().encodeToString(JobCodec.encode(queued))));
            legacyRow(stores, "durable.sms-jobs", "job-v1", "cn.antifraud.gateway.smpp.internal.StoredJob",
                    Map.of("data", Base64.getEncoder().encodeToString(JobCodecTest.version1Job("job-v1"))));
            legacyRow(stores, "durable.sms-warnings", "w1", WarningRecord.class.getName(), warning);
            legacyRow(stores, "durable.sms-message-ids", "sim:a1", "cn.antifraud.gateway.smpp.internal.StoredTarget",
                    Map.of("value", "job-v1#0#a1"));
            legacyRow(stores, "durable.sms-early-receipts", "sim:a9", "cn.antifraud.gateway.smpp.internal.StoredTarget",
                    Map.of("value", "DELIVERED"));

            try (RegistryMember member = RegistryMember.start(config(), stores, SmppGateway.WORK_STORES)) {
                WorkStores work = member.workStores();
                assertEquals(queued, work.open(SmsWorkStores.JOBS).get("job-v2"), "a version 2 job, field for field");
                SmsJob v1 = work.open(SmsWorkStores.JOBS).get("job-v1");
                assertNotNull(v1, "a version 1 job");
                assertEquals(JobState.SUBMITTED, v1.state());
                assertEquals(List.of("a1", "a2"), v1.messageIds());
                assertEquals(warning, work.open(SmsWorkStores.WARNINGS).get("w1"));
                // The index now lives in cluster memory only: its old rows are not taken over, and the sweep
                // indexes the SUBMITTED job again (CrashReconciliationTest).
                assertEquals(null, work.open(SmsWorkStores.MESSAGE_IDS).get("sim:a1"));
                assertEquals("DELIVERED", work.open(SmsWorkStores.EARLY_RECEIPTS).get("sim:a9"));
                assertEquals(2, work.open(SmsWorkStores.JOBS).localKeys().size());
            }
            assertEquals(1, count(stores, "SELECT COUNT(*) FROM durable_entry"), "only the old index row is left");
            assertEquals(4, count(stores, "SELECT COUNT(*) FROM work_entry"));
        }
    }

    private static void legacyRow(JdbcRegistryStores stores, String map, String key, String valueClass, Object value)
            throws Exception {
        try (Connection c = stores.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("INSERT INTO durable_entry (map_name, entry_key, value_class,"
                     + " value_json, updated_at) VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, map);
            p.setString(2, key);
            p.setString(3, valueClass);
            p.setString(4, PREVIOUS_RELEASE_JSON.writeValueAsString(value));
            p.setObject(5, OffsetDateTime.now(ZoneOffset.UTC));
            p.executeUpdate();
        }
    }

    private static int count(JdbcRegistryStores stores, String sql) throws Exception {
        try (Connection c = stores.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static RegistryConfig config() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return RegistryConfig.builder().clusterName("upgrade-" + UUID.randomUUID()).bindAddress("127.0.0.1").port(port)
                .members(List.of("127.0.0.1:" + port)).build();
    }
}
