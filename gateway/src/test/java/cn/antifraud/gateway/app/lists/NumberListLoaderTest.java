package cn.antifraud.gateway.app.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.app.config.ListFiles;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.NumberRegistry;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.cluster.HazelcastNumberRegistry;
import cn.antifraud.gateway.registry.cluster.RegistryConfig;
import cn.antifraud.gateway.registry.cluster.RegistryMember;
import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.registry.jdbc.JdbcRegistryStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * List files seed the registry; the admin API edits it. A real one-member registry written through
 * to an H2 file, restarted on the same data directory as a node is: an entry is applied only when the
 * file's entry changed since it was last applied, so an API edit survives a restart.
 */
class NumberListLoaderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
    private static final PhoneNumber SUBSCRIBER = PhoneNumbers.parse("13800138000");
    private static final PhoneNumber POLICE = PhoneNumbers.parse("96110");

    @TempDir
    Path dir;

    private Path dataDir;
    private ListFiles files;
    private JdbcRegistryStores stores;
    private RegistryMember member;
    private NumberRegistry registry;

    @BeforeEach
    void writeFilesAndStart() throws IOException {
        dataDir = dir.resolve("data");
        Files.createDirectories(dataDir);
        files = new ListFiles(List.of(dir.resolve("warning-numbers.yaml")), List.of(dir.resolve("fraud-numbers.csv")),
                List.of(dir.resolve("family-contacts.yaml")));
        writeWarnings("国家反诈中心");
        write("fraud-numbers.csv", "number,fraud_type,case_reference,expires,reject_calls\n"
                + "17000000001,brushing_rebate,CASE-1,,false\n17000000002,brushing_rebate,CASE-2,,true\n");
        writeFamily("2026-01-01T00:00:00Z");
        start();
    }

    @AfterEach
    void stop() {
        if (member != null) {
            member.close();
            stores.close();
        }
    }

    /** A node start on the same data directory: a fresh member on the same H2 file. */
    private void start() {
        stores = JdbcRegistryStores.open(DatabaseConfig.h2File(dataDir).build());
        member = RegistryMember.start(RegistryConfig.builder().clusterName("lists-test-" + System.nanoTime())
                .bindAddress("127.0.0.1").port(0).build(), stores);
        registry = new HazelcastNumberRegistry(member, stores.audit());
    }

    private void restart() {
        stop();
        start();
    }

    private NumberListLoader.Counts load() {
        return new NumberListLoader(registry, CLOCK, dataDir).load(files);
    }

    private long auditRecords() {
        return registry.audit(0, 1000).items().size();
    }

    @Test
    void theFirstLoadWritesEveryEntryAndAnUnchangedFileWritesNothingAfterARestart() {
        NumberListLoader.Counts first = load();
        assertEquals(4, first.written(), first.describe());
        long audited = auditRecords();
        assertEquals(4, audited, "one audit record per written entry");

        restart();
        NumberListLoader.Counts again = load();
        assertEquals(0, again.written(), again.describe());
        assertEquals(4, again.unchanged(), again.describe());
        assertEquals(audited, auditRecords(), "a restart adds no audit record");
    }

    @Test
    void anApiEditIsNotUndoneByARestartWhileTheFileIsUnchanged() {
        load();
        FamilyContacts edited = new FamilyContacts(SUBSCRIBER, List.of(PhoneNumbers.parse("13900139000")), true,
                Instant.parse("2026-05-05T05:05:05Z"));
        registry.putFamilyContacts(edited, "api-user");

        restart();
        NumberListLoader.Counts counts = load();
        assertEquals(0, counts.written(), counts.describe());
        assertEquals(edited, registry.familyContacts(SUBSCRIBER).orElseThrow(), "the consent time the API set stays");
    }

    @Test
    void anEntryChangedInItsFileIsAppliedOverAnEarlierApiEdit() throws IOException {
        load();
        registry.putFamilyContacts(new FamilyContacts(SUBSCRIBER, List.of(PhoneNumbers.parse("13900139000")), true,
                Instant.parse("2026-05-05T05:05:05Z")), "api-user");
        writeFamily("2026-07-07T07:07:07Z");

        restart();
        NumberListLoader.Counts counts = load();
        assertEquals(1, counts.written(), counts.describe());
        assertEquals(List.of("family +8613800138000"), counts.changed());
        assertEquals(Instant.parse("2026-07-07T07:07:07Z"), registry.familyContacts(SUBSCRIBER).orElseThrow().consentedAt(),
                "the operator changed the file after the API edit: the file wins");
        assertEquals("config:family-contacts.yaml", registry.audit(0, 1000).items().get((int) auditRecords() - 1).actor());
    }

    @Test
    void aNumberTheRegistryHadBeforeThisNodeAppliedItsEntryKeepsTheRegistrysRecord() throws IOException {
        // Another member, an older gateway or the API put it there: this node has no digest for it yet.
        registry.putFamilyContacts(new FamilyContacts(SUBSCRIBER, List.of(PhoneNumbers.parse("13700137000")), false, null),
                "api-user");
        NumberListLoader.Counts first = load();
        assertEquals(1, first.kept(), first.describe());
        assertEquals(List.of(PhoneNumbers.parse("13700137000")), registry.familyContacts(SUBSCRIBER).orElseThrow().contacts());

        writeFamily("2026-08-08T08:08:08Z");
        NumberListLoader.Counts second = load();
        assertEquals(1, second.written(), "once the file's entry changes, it is applied: " + second.describe());
        assertEquals(List.of(PhoneNumbers.parse("13900139000")), registry.familyContacts(SUBSCRIBER).orElseThrow().contacts());
    }

    @Test
    void aRevokedWarningNumberStaysRevokedWhenItsFileEntryChanges() throws IOException {
        load();
        registry.revokeWarningNumber(POLICE, "api-user");
        writeWarnings("国家反诈中心（新）");

        NumberListLoader.Counts counts = load();
        assertEquals(0, counts.written(), counts.describe());
        assertEquals(1, counts.kept(), counts.describe());
        assertTrue(registry.warningNumber(POLICE).orElseThrow().revoked());
    }

    @Test
    void aChangedCardIsAppliedByTheNextLoadWithoutARestart() throws IOException {
        load();
        writeWarnings("国家反诈中心（新）");
        NumberListLoader.Counts counts = load();
        assertEquals(List.of("warning +8696110"), counts.changed(), counts.describe());
        assertEquals("国家反诈中心（新）", registry.warningNumber(POLICE).orElseThrow().cardName());
        assertTrue(counts.describe().startsWith("1 written (warning +8696110), 3 unchanged"), counts.describe());
    }

    private void writeWarnings(String cardName) throws IOException {
        write("warning-numbers.yaml", "warning-numbers:\n"
                + "  - number: \"96110\"\n"
                + "    card-name: " + cardName + "\n"
                + "    call-reason: 用户您好，该电话来自于国家反诈部门，请您接听！\n"
                + "    agency: 公安部刑事侦查局国家反诈中心\n"
                + "    verified-by: ops-example\n"
                + "    verified-at: 2026-01-01T00:00:00Z\n");
    }

    private void writeFamily(String consentedAt) throws IOException {
        write("family-contacts.yaml", "family-contacts:\n"
                + "  - subscriber: \"13800138000\"\n"
                + "    contacts: [\"13900139000\"]\n"
                + "    consent: true\n"
                + "    consented-at: " + consentedAt + "\n");
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }
}
