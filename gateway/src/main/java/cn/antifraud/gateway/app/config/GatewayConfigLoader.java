package cn.antifraud.gateway.app.config;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.app.auth.Role;
import cn.antifraud.gateway.app.auth.TokenEntry;
import cn.antifraud.gateway.registry.cluster.RegistryConfig;
import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.sip.SipProxyConfig;
import cn.antifraud.gateway.smpp.MobilePrefixes;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads {@code config/gateway.yaml} into a {@link GatewayConfig}. Every key is checked: wrong types,
 * values out of range, bad numbers and unknown keys stop startup with a {@link ConfigException} naming
 * the file, the line and the key. Secrets are read from the file or from the environment
 * ({@code password-env: NAME}) and never appear in a message.
 *
 * <p>Relative paths of files the config names (number lists, templates) are resolved against the
 * config file's folder; the data directory against the working directory.
 */
public final class GatewayConfigLoader {
    private final Function<String, String> environment;

    /** @param environment how {@code *-env} keys are looked up ({@code System::getenv} in production) */
    public GatewayConfigLoader(Function<String, String> environment) {
        this.environment = requireNonNull(environment, "environment");
    }

    /** Loads and validates {@code file}. */
    public GatewayConfig load(Path file) {
        requireNonNull(file, "file");
        String name = file.toString();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file, YamlTreeReader.read(name, in));
        } catch (NoSuchFileException e) {
            throw new ConfigException(name, 0, "", "file not found");
        } catch (IOException e) {
            throw new ConfigException(name, 0, "", "cannot read: " + e.getMessage());
        }
    }

    private GatewayConfig read(Path file, YamlNode root) {
        String name = file.toString();
        if (root.kind() != YamlNode.Kind.MAP) {
            throw new ConfigException(name, root.line(), "", "must be a map of sections (node, cluster, database, ...)");
        }
        Path baseDir = Optional.ofNullable(file.toAbsolutePath().getParent()).orElse(Path.of("."));
        Section top = new Section(name, "", root);
        NodeSettings node = node(top.section("node"));
        RegistryConfig cluster = cluster(top.section("cluster"));
        DatabaseConfig database = database(top.section("database"), node.dataDir());
        WarningSettings warnings = warnings(top.section("warnings"));
        SipSettingsReader sipReader = new SipSettingsReader(environment, baseDir);
        SipProxyConfig sip = sipReader.read(top.section("sip"), warnings.tier2MinDuration());
        Optional<SmppSettings> smpp = new SmppSettingsReader(environment, baseDir)
                .read(top.section("smpp"), node.id(), warnings.dedupWindow(), warnings.mobilePrefixes());
        AdminSettings admin = admin(top.section("admin"));
        ListFiles lists = lists(top.section("lists"), baseDir);
        top.finish();
        return new GatewayConfig(file, node, cluster, database, sip, smpp, warnings, admin, lists, sipReader.identity());
    }

    private static NodeSettings node(Section s) {
        String id = s.string("id", "gateway-1");
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw s.error("id", "must be 1-64 letters, digits, '.', '_' or '-', got '" + id + "'");
        }
        Path dataDir = Path.of(s.string("data-dir", "data"));
        s.finish();
        return new NodeSettings(id, dataDir);
    }

    private static RegistryConfig cluster(Section s) {
        RegistryConfig.Builder b = RegistryConfig.builder();
        try {
            s.optionalString("name").ifPresent(b::clusterName);
            s.optionalString("bind").ifPresent(v -> hostPort(s, "bind", v, b));
            List<String> members = new ArrayList<>();
            for (Section.Value v : s.values("members")) {
                if (v.text().isBlank() || v.text().contains(" ")) {
                    throw v.error("must be host or host:port, got '" + v.text() + "'");
                }
                members.add(v.text().trim());
            }
            b.members(members);
            b.backupCount(s.integer("backups", 1, 1, 6));
            b.nearCacheMaxEntries(s.integer("near-cache-max-entries", 1_000_000, 1, Integer.MAX_VALUE));
            b.invalidationDelayTarget(s.duration("invalidation-delay", Duration.ofSeconds(1)));
            b.waitForMembers(s.integer("wait-for-members", 1, 1, 271));
            b.operationThreads(s.integer("operation-threads", 16, 1, 256));
            b.hazelcastMetrics(s.bool("hazelcast-metrics", false));
            splitBrain(s, b, members.size());
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
        s.finish();
        return b.build();
    }

    /**
     * Issue 13: quorum, branding without quorum, the failure detector and the merge check. Each value
     * is checked here against its own key so an error names the key's line, not the section's.
     */
    private static void splitBrain(Section s, RegistryConfig.Builder b, int members) {
        int quorum = s.integer("quorum", 0, 1, 271);
        if (quorum > Math.max(members, 1)) {
            throw s.error("quorum", "must be at most the " + Math.max(members, 1)
                    + " configured member(s), got " + quorum + ": no member could ever write");
        }
        b.quorum(quorum);
        b.noQuorumBranding(s.enumValue("no-quorum-branding", RegistryConfig.NoQuorumBranding.class,
                RegistryConfig.NoQuorumBranding.UNBRANDED));
        b.mergeCheckInterval(wholeSeconds(s, "merge-check-interval", Duration.ofSeconds(120)));
        Section fd = s.section("failure-detector");
        Duration heartbeat = wholeSeconds(fd, "heartbeat-interval", Duration.ofSeconds(5));
        Duration maxNoHeartbeat = wholeSeconds(fd, "max-no-heartbeat", Duration.ofSeconds(60));
        if (maxNoHeartbeat.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw fd.error("max-no-heartbeat", "must be at least twice heartbeat-interval (" + heartbeat.toSeconds()
                    + "s), got " + maxNoHeartbeat.toSeconds() + "s: one late heartbeat would remove a healthy member");
        }
        b.heartbeatInterval(heartbeat).maxNoHeartbeat(maxNoHeartbeat);
        fd.finish();
    }

    private static Duration wholeSeconds(Section s, String key, Duration defaultValue) {
        Duration d = s.duration(key, defaultValue);
        if (d.isNegative() || d.toSeconds() < 1 || d.getNano() != 0) {
            throw s.error(key, "must be a whole number of seconds, at least 1s (Hazelcast counts in seconds), got " + d);
        }
        return d;
    }

    private static void hostPort(Section s, String key, String value, RegistryConfig.Builder b) {
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? value : value.substring(0, colon);
        try {
            b.bindAddress(host);
        } catch (IllegalArgumentException e) {
            throw s.error(key, e.getMessage());
        }
        if (colon >= 0) {
            int port = parsePort(s, key, value.substring(colon + 1), true);
            b.port(port);
        }
    }

    static int parsePort(Section s, String key, String text, boolean allowZero) {
        int port;
        try {
            port = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw s.error(key, "port must be a number, got '" + text + "'");
        }
        if (port < (allowZero ? 0 : 1) || port > 65535) {
            throw s.error(key, "port must be " + (allowZero ? 0 : 1) + "-65535, got " + port);
        }
        return port;
    }

    private DatabaseConfig database(Section s, Path dataDir) {
        DatabaseConfig.Builder b;
        try {
            Optional<String> url = s.optionalString("url");
            b = url.isPresent() ? DatabaseConfig.builder(url.get()) : DatabaseConfig.h2File(dataDir);
        } catch (IllegalArgumentException e) {
            throw s.error("url", e.getMessage());
        }
        s.optionalString("user").ifPresent(b::user);
        secret(s, "password").ifPresent(b::password);
        try {
            b.poolSize(s.integer("pool-size", 16, 1, 200));
            b.connectionTimeout(s.duration("connection-timeout", Duration.ofSeconds(10)));
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
        Duration minCommitInterval = s.duration("min-commit-interval", DatabaseConfig.DEFAULT_MIN_COMMIT_INTERVAL);
        if (minCommitInterval.compareTo(DatabaseConfig.MAX_MIN_COMMIT_INTERVAL) > 0) {
            throw s.error("min-commit-interval", "must be 0ms to " + DatabaseConfig.MAX_MIN_COMMIT_INTERVAL.toMillis()
                    + "ms, got " + minCommitInterval.toMillis() + "ms");
        }
        b.minCommitInterval(minCommitInterval);
        s.finish();
        return b.build();
    }

    /**
     * A secret given as {@code KEY: value} or {@code KEY-env: VARIABLE}; the value never appears in
     * an error.
     */
    Optional<String> secret(Section s, String key) {
        Optional<String> inline = s.optionalString(key);
        Optional<String> variable = s.optionalString(key + "-env");
        if (inline.isPresent() && variable.isPresent()) {
            throw s.error(key + "-env", "give " + key + " or " + key + "-env, not both");
        }
        if (variable.isPresent()) {
            String value = environment.apply(variable.get());
            if (value == null) {
                throw s.error(key + "-env", "environment variable " + variable.get() + " is not set");
            }
            return Optional.of(value);
        }
        return inline;
    }

    private static WarningSettings warnings(Section s) {
        Duration dedup = positive(s, "dedup-window", Duration.ofHours(24));
        Duration tier2 = positive(s, "tier2-min-duration", Duration.ofSeconds(60));
        MobilePrefixes mobile = MobilePrefixes.defaults();
        List<Section.Value> prefixes = s.values("mobile-prefixes");
        if (!prefixes.isEmpty()) {
            for (Section.Value p : prefixes) {
                try {
                    MobilePrefixes.of(List.of(p.text().trim()));
                } catch (IllegalArgumentException e) {
                    throw p.error(e.getMessage());
                }
            }
            mobile = MobilePrefixes.of(prefixes.stream().map(p -> p.text().trim()).toList());
        }
        s.finish();
        return new WarningSettings(dedup, tier2, mobile);
    }

    static Duration positive(Section s, String key, Duration defaultValue) {
        Duration d = s.duration(key, defaultValue);
        if (d.isNegative() || d.isZero()) {
            throw s.error(key, "must be positive, got " + d);
        }
        return d;
    }

    private static AdminSettings admin(Section s) {
        String bind = s.string("bind", "127.0.0.1:8080");
        int colon = bind.lastIndexOf(':');
        if (colon <= 0) {
            throw s.error("bind", "must be host:port, got '" + bind + "'");
        }
        String host = bind.substring(0, colon);
        int port = parsePort(s, "bind", bind.substring(colon + 1), true);
        int maxBody = s.integer("max-body-bytes", 64 * 1024, 1024, 16 * 1024 * 1024);
        long maxImport = s.longValue("max-import-bytes", 4L * 1024 * 1024 * 1024, 1024, Long.MAX_VALUE);
        int workers = s.integer("workers", 8, 1, 256);
        int queue = s.integer("queue", 256, 1, 100_000);
        int importWorkers = s.integer("import-workers", 2, 1, 64);
        int importsPerToken = s.integer("max-imports-per-token", 1, 1, 64);
        Duration readTimeout = positive(s, "read-timeout", Duration.ofSeconds(30));
        Duration idleTimeout = positive(s, "idle-timeout", Duration.ofSeconds(120));
        Duration requestTimeout = positive(s, "request-timeout", Duration.ofSeconds(30));
        Duration importTimeout = positive(s, "import-timeout", Duration.ofMinutes(30));
        List<TokenEntry> tokens = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Section t : s.sections("tokens")) {
            String tokenName = t.string("name");
            if (!names.add(tokenName)) {
                throw t.error("name", "duplicate token name '" + tokenName + "'");
            }
            Role role = t.optional("role", Role::parse).orElseThrow(() -> t.error("role", "is required"));
            String hash = t.string("sha256");
            try {
                tokens.add(TokenEntry.fromHex(tokenName, role, hash));
            } catch (IllegalArgumentException e) {
                throw t.error("sha256", e.getMessage());
            }
            t.finish();
        }
        s.finish();
        return new AdminSettings(host, port, maxBody, maxImport, workers, queue, importWorkers, importsPerToken,
                readTimeout, idleTimeout, requestTimeout, importTimeout, tokens);
    }

    private static ListFiles lists(Section s, Path baseDir) {
        ListFiles lists = new ListFiles(files(s, "warning-numbers", baseDir), files(s, "fraud-numbers", baseDir),
                files(s, "family-contacts", baseDir));
        s.finish();
        return lists;
    }

    private static List<Path> files(Section s, String key, Path baseDir) {
        List<Path> out = new ArrayList<>();
        for (Section.Value v : s.values(key)) {
            Path p = baseDir.resolve(v.text().trim()).normalize();
            if (!Files.isRegularFile(p)) {
                throw v.error("file " + p + " does not exist");
            }
            out.add(p);
        }
        return out;
    }
}
