package cn.antifraud.gateway.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.app.auth.Role;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.sip.SipTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import cn.antifraud.gateway.registry.cluster.RegistryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GatewayConfigLoaderTest {
    private static final String LISTENER = "sip:\n  listeners:\n    - { transport: udp, address: 127.0.0.1, port: 5060 }\n";
    private static final String HASH = "a".repeat(64);
    private static final Map<String, String> ENV = Map.of("DB_PASSWORD", "s3cret-from-env");

    @TempDir
    Path dir;

    private GatewayConfig load(String yaml) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return new GatewayConfigLoader(ENV::get).load(file);
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("bad YAML", "node:\n  id: [unclosed\n", 2, "", "not valid YAML"),
                Arguments.of("unknown top-level key", LISTENER + "nodes:\n  id: x\n", 4, "nodes", "unknown key"),
                Arguments.of("unknown nested key", LISTENER + "  record-rout: true\n", 4, "sip.record-rout", "unknown key"),
                Arguments.of("port out of range", "sip:\n  listeners:\n    - transport: udp\n      port: 70000\n", 4,
                        "sip.listeners[0].port", "must be 0-65535, got 70000"),
                Arguments.of("port not a number", "sip:\n  listeners:\n    - port: http\n", 3,
                        "sip.listeners[0].port", "must be a whole number, got 'http'"),
                Arguments.of("unknown transport", "sip:\n  listeners:\n    - transport: sctp\n", 3,
                        "sip.listeners[0].transport", "unknown SIP transport 'sctp'"),
                Arguments.of("no listener", "sip:\n  listeners: []\n", 2, "sip.listeners", "at least one SIP listener"),
                Arguments.of("duplicate key", LISTENER + "admin:\n  bind: 127.0.0.1:1\n  bind: 127.0.0.1:2\n", 6,
                        "admin.bind", "duplicate key (first on line 5)"),
                Arguments.of("admin port", LISTENER + "admin:\n  bind: 127.0.0.1:99999\n", 5, "admin.bind",
                        "port must be 0-65535, got 99999"),
                Arguments.of("zero read timeout", LISTENER + "admin:\n  read-timeout: 0s\n", 5, "admin.read-timeout",
                        "must be positive"),
                Arguments.of("bad import timeout", LISTENER + "admin:\n  import-timeout: later\n", 5, "admin.import-timeout",
                        "must be a duration like 500ms"),
                Arguments.of("no imports per token", LISTENER + "admin:\n  max-imports-per-token: 0\n", 5,
                        "admin.max-imports-per-token", "must be 1-64, got 0"),
                Arguments.of("wildcard cluster bind", LISTENER + "cluster:\n  bind: 0.0.0.0:5701\n", 5, "cluster.bind",
                        "bindAddress must name one private interface"),
                Arguments.of("backups below 1", LISTENER + "cluster:\n  backups: 0\n", 5, "cluster.backups",
                        "must be 1-6, got 0"),
                Arguments.of("quorum above the members", LISTENER + "cluster:\n  members: [a, b, c]\n  quorum: 4\n", 6,
                        "cluster.quorum", "must be at most the 3 configured member(s), got 4"),
                Arguments.of("bad no-quorum branding", LISTENER + "cluster:\n  no-quorum-branding: stale\n", 5,
                        "cluster.no-quorum-branding", "must be one of unbranded, last-known, got 'stale'"),
                Arguments.of("heartbeat in milliseconds", LISTENER + "cluster:\n  failure-detector:\n    heartbeat-interval: 500ms\n", 6,
                        "cluster.failure-detector.heartbeat-interval", "must be a whole number of seconds"),
                Arguments.of("detector shorter than two heartbeats", LISTENER
                        + "cluster:\n  failure-detector:\n    heartbeat-interval: 5s\n    max-no-heartbeat: 6s\n", 7,
                        "cluster.failure-detector.max-no-heartbeat", "must be at least twice heartbeat-interval"),
                Arguments.of("bad duration", LISTENER + "warnings:\n  dedup-window: soon\n", 5, "warnings.dedup-window",
                        "must be a duration like 500ms"),
                Arguments.of("unset password variable", LISTENER + "database:\n  url: jdbc:h2:mem:x\n  password-env: NOPE\n", 6,
                        "database.password-env", "environment variable NOPE is not set"),
                Arguments.of("commit interval too long", LISTENER + "database:\n  min-commit-interval: 1s\n", 5,
                        "database.min-commit-interval", "must be 0ms to 100ms, got 1000ms"),
                Arguments.of("bad token hash", LISTENER + "admin:\n  tokens:\n    - { name: a, role: admin, sha256: abc }\n", 6,
                        "admin.tokens[0].sha256", "must be 64 hex digits"),
                Arguments.of("bad role", LISTENER + "admin:\n  tokens:\n    - { name: a, role: root, sha256: " + HASH + " }\n", 6,
                        "admin.tokens[0].role", "must be one of reader, registrar, police, admin, got 'root'"),
                Arguments.of("bad trusted peer", LISTENER + "  trusted-peers:\n    - { name: p, cidr: 10.0.0.0/40 }\n", 5,
                        "sip.trusted-peers[0].cidr", "prefix length must be 0 to 32"),
                Arguments.of("bad route next hop", LISTENER + "  routes:\n    - { prefix: \"1\", next-hop: \"proxy.example:5060\" }\n", 5,
                        "sip.routes[0].next-hop", "next hop host must be an IP address"),
                Arguments.of("bad UDP receive mode", LISTENER + "  udp:\n    receive: epoll\n", 5,
                        "sip.udp.receive", "must be one of workers, event-loop, got 'epoll'"),
                Arguments.of("too many UDP workers", LISTENER + "  udp:\n    workers: 65\n", 5,
                        "sip.udp.workers", "must be 1-64, got 65"),
                Arguments.of("bad fraud type", LISTENER + "  reject-fraud-types: [phishing]\n", 4,
                        "sip.reject-fraud-types[0]", "unknown fraud type 'phishing'"),
                Arguments.of("missing list file", LISTENER + "lists:\n  fraud-numbers: [nowhere.csv]\n", 5,
                        "lists.fraud-numbers[0]", "does not exist"),
                Arguments.of("bad mobile prefix", LISTENER + "warnings:\n  mobile-prefixes: [\"13\", \"2\"]\n", 5,
                        "warnings.mobile-prefixes[1]", "a mobile prefix is 1 to 7 digits beginning with 1 (e.g. 13, 198), got '2'"),
                Arguments.of("bad receipt id format", LISTENER + "smpp:\n  smscs:\n    - { name: s, host: 127.0.0.1, receipt-id-format: hex }\n", 6,
                        "smpp.smscs[0].receipt-id-format", "must be one of as-is, hex-to-decimal, decimal-to-hex, got 'hex'"),
                Arguments.of("SMSC without binds", LISTENER + "smpp:\n  smscs:\n    - { name: s, host: 127.0.0.1, port: 2775 }\n", 6,
                        "smpp.smscs[0].binds", "at least one bind is needed"),
                Arguments.of("housekeeping while down of zero", LISTENER + "smpp:\n  housekeeping-while-down: 0s\n", 5,
                        "smpp.housekeeping-while-down", "must be positive"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadFileNamesTheFileTheLineAndTheKey(String name, String yaml, int line, String key, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml));
        assertEquals(dir.resolve("gateway.yaml").toString(), e.file());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.problem().contains(problem), e.getMessage());
        assertTrue(e.getMessage().startsWith(e.file() + ":" + line + ": "), e.getMessage());
    }

    @Test
    void theMessageHasTheDocumentedShape() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("sip:\n  listeners:\n    - transport: udp\n      port: 70000\n"));
        assertEquals(dir.resolve("gateway.yaml") + ":4: sip.listeners[0].port: must be 0-65535, got 70000", e.getMessage());
    }

    @Test
    void aSecretNeverAppearsInAnError() {
        String password = "toolongpassword";
        ConfigException e = assertThrows(ConfigException.class, () -> load(LISTENER
                + "smpp:\n  smscs:\n    - name: s\n      host: 127.0.0.1\n      binds:\n        - { system-id: esme, password: "
                + password + " }\n"));
        assertTrue(e.getMessage().contains("longer than 8 characters"), e.getMessage());
        assertFalse(e.getMessage().contains(password), e.getMessage());
    }

    @Test
    void passwordsComeFromTheEnvironment() throws IOException {
        GatewayConfig c = load(LISTENER + "database:\n  url: jdbc:h2:mem:x\n  user: u\n  password-env: DB_PASSWORD\n");
        assertEquals("s3cret-from-env", c.database().password());
        assertFalse(c.database().toString().contains("s3cret"), c.database().toString());
    }

    @Test
    void splitBrainKeysAreRead() throws IOException {
        GatewayConfig c = load(LISTENER + "cluster:\n  members: [\"127.0.0.1:5701\", \"127.0.0.1:5702\", \"127.0.0.1:5703\"]\n"
                + "  no-quorum-branding: last-known\n  merge-check-interval: 10s\n"
                + "  failure-detector: { heartbeat-interval: 1s, max-no-heartbeat: 8s }\n");
        assertEquals(2, c.cluster().quorum(), "default: a majority of the three members");
        assertEquals(RegistryConfig.NoQuorumBranding.LAST_KNOWN, c.cluster().noQuorumBranding());
        assertEquals(Duration.ofSeconds(10), c.cluster().mergeCheckInterval());
        assertEquals(Duration.ofSeconds(1), c.cluster().heartbeatInterval());
        assertEquals(Duration.ofSeconds(8), c.cluster().maxNoHeartbeat());
        assertEquals(3, load(LISTENER + "cluster:\n  members: [a, b, c]\n  quorum: 3\n").cluster().quorum());
    }

    @Test
    void anEmptyFileGivesTheEmbeddedDefaults() throws IOException {
        GatewayConfig c = load(LISTENER);
        assertEquals("gateway-1", c.node().id());
        assertEquals(Path.of("data"), c.node().dataDir());
        assertTrue(c.database().jdbcUrl().startsWith("jdbc:h2:file:"), c.database().jdbcUrl());
        assertEquals("127.0.0.1", c.cluster().bindAddress());
        assertEquals(1, c.cluster().backupCount());
        assertEquals(1, c.cluster().quorum(), "a single node always has its quorum");
        assertEquals(RegistryConfig.NoQuorumBranding.UNBRANDED, c.cluster().noQuorumBranding());
        assertEquals("127.0.0.1", c.admin().host());
        assertEquals(8080, c.admin().port());
        assertEquals(2, c.admin().importWorkers());
        assertEquals(1, c.admin().maxImportsPerToken());
        assertEquals(Duration.ofSeconds(30), c.admin().requestTimeout());
        assertEquals(Duration.ofMinutes(30), c.admin().importTimeout());
        assertTrue(c.smpp().isEmpty());
        assertEquals(Duration.ofHours(24), c.warnings().dedupWindow());
        assertEquals(Duration.ofSeconds(60), c.warnings().tier2MinDuration());
    }

    /** The file bin/gateway runs with must load as shipped, lists and templates included. */
    @Test
    void theShippedConfigLoads() {
        Path shipped = Path.of("..", "config", "gateway.yaml");
        GatewayConfig c = new GatewayConfigLoader(name -> null).load(shipped);
        assertEquals(2, c.sip().listeners().size());
        assertEquals(SipTransport.UDP, c.sip().listeners().get(0).transport());
        assertEquals(SipTransport.TCP, c.sip().listeners().get(1).transport());
        assertEquals("127.0.0.1", c.sip().listeners().get(0).address());
        assertEquals(5060, c.sip().listeners().get(0).port());
        assertEquals(cn.antifraud.gateway.sip.UdpSettings.UdpReceive.WORKERS, c.sip().udp().receive());
        assertEquals(8080, c.admin().port());
        assertTrue(c.smpp().isPresent());
        assertEquals(1, c.lists().warningNumbers().size());
        assertEquals(2, NumberListFiles.warningNumbers(c.lists().warningNumbers().get(0)).size());
        assertEquals(3, NumberListFiles.fraudNumbers(c.lists().fraudNumbers().get(0), java.time.Instant.EPOCH).size());
        assertEquals(PhoneNumbers.parse("13800138000"),
                NumberListFiles.familyContacts(c.lists().familyContacts().get(0)).get(0).subscriber());
    }

    /** The SIP load test's gateway configs (loadtest/sip/*.yaml.in) must load once their placeholders are filled. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"gateway-bench.yaml.in", "gateway-functional.yaml.in"})
    void theLoadTestConfigsLoad(String template) throws IOException {
        Path sipDir = Path.of("..", "loadtest", "sip").toAbsolutePath().normalize();
        String text = Files.readString(sipDir.resolve(template), StandardCharsets.UTF_8)
                .replace("@UAS_PORT@", "5080") // a next hop needs a real port; listeners may ask for port 0
                .replaceAll("@[A-Z_]*PORT@", "0")
                .replace("@DATA_DIR@", dir.resolve("data").toString())
                .replace("@REPO@", sipDir.getParent().getParent().toString())
                .replace("@WARNING_LIST@", sipDir.resolve("bench-warning-numbers.yaml").toString())
                .replace("@FRAUD_LIST@", sipDir.resolve("functional-fraud-numbers.csv").toString())
                .replace("@UDP_RECEIVE@", "workers")
                .replace("@CALLED_TCP@", "13800138001")
                .replace("@CALLED@", "13800138000");
        GatewayConfig c = load(text);
        assertTrue(c.smpp().isEmpty());
        assertEquals(1, NumberListFiles.warningNumbers(c.lists().warningNumbers().get(0)).size());
    }

    @Test
    void tokensAreReadAsHashesWithTheirRoles() throws IOException {
        GatewayConfig c = load(LISTENER + "admin:\n  tokens:\n    - { name: alice, role: police, sha256: " + HASH + " }\n");
        assertEquals(1, c.admin().tokens().size());
        assertEquals("alice", c.admin().tokens().get(0).name());
        assertEquals(Role.POLICE, c.admin().tokens().get(0).role());
    }

    @Test
    void theShieldSettingsAreReadAndABadTermNamesItsLine() throws IOException {
        GatewayConfig c = load(LISTENER + "  spoof-action: number-as-name\n  protected-terms: [反诈, 国家反诈中心]\n");
        assertEquals(cn.antifraud.gateway.sip.SpoofAction.NUMBER_AS_NAME, c.sip().spoofAction());
        assertEquals(java.util.List.of("反诈", "国家反诈中心"), c.sip().protectedTerms());
        assertEquals(cn.antifraud.gateway.sip.SipProxyConfig.DEFAULT_PROTECTED_TERMS, load(LISTENER).sip().protectedTerms());
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(LISTENER + "  protected-terms:\n    - 反诈\n    - \"·\"\n"));
        assertTrue(e.getMessage().matches(".*gateway\\.yaml:6: sip\\.protected-terms.*fewer than 2 letters or digits"), e.getMessage());
        ConfigException old = assertThrows(ConfigException.class, () -> load(LISTENER + "  spoof-action: forward-unbranded\n"));
        assertTrue(old.getMessage().contains("spoof-action: forward-unbranded was replaced by strip-name"), old.getMessage());
    }
}
