package cn.antifraud.gateway.app;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.app.admin.AdminApi;
import cn.antifraud.gateway.app.admin.AdminServer;
import cn.antifraud.gateway.app.admin.JCard;
import cn.antifraud.gateway.app.auth.TokenAuthenticator;
import cn.antifraud.gateway.app.config.AdminSettings;
import cn.antifraud.gateway.app.config.GatewayConfig;
import cn.antifraud.gateway.app.config.SmppSettings;
import cn.antifraud.gateway.app.health.ComponentHealth;
import cn.antifraud.gateway.app.health.HealthCheck;
import cn.antifraud.gateway.app.health.HealthService;
import cn.antifraud.gateway.app.lists.NumberListLoader;
import cn.antifraud.gateway.app.metrics.GatewayMetrics;
import cn.antifraud.gateway.registry.ContactEventQueries;
import cn.antifraud.gateway.registry.ImportJournal;
import cn.antifraud.gateway.registry.NumberRegistry;
import cn.antifraud.gateway.registry.PendingContactEvent;
import cn.antifraud.gateway.registry.cluster.HazelcastContactEventLog;
import cn.antifraud.gateway.registry.cluster.HazelcastNumberRegistry;
import cn.antifraud.gateway.registry.cluster.RegistryMember;
import cn.antifraud.gateway.registry.jdbc.JdbcRegistryStores;
import cn.antifraud.gateway.sip.RegisteredNamesRefresher;
import cn.antifraud.gateway.sip.SipProxy;
import cn.antifraud.gateway.sip.identity.SigningMaterialHolder;
import cn.antifraud.gateway.sip.identity.VerifiedCardGate;
import cn.antifraud.gateway.smpp.BindHealth;
import cn.antifraud.gateway.smpp.SmppGateway;
import cn.antifraud.gateway.smpp.template.WarningTemplates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway node: the registry member (Hazelcast, written through to the database), the
 * SIP proxy, the SMPP gateway and the admin API, started from one {@link GatewayConfig} in dependency
 * order and closed in reverse. The SMPP gateway starts even when no SMSC answers: its binds retry
 * with backoff and {@code GET /health} shows them down.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Deque<Runnable> closers = new ArrayDeque<>();
    private final HealthService health = new HealthService();
    private final Reloadables reloadables = new Reloadables();
    private GatewayMetrics metrics;
    private NumberRegistry registry;
    private AdminServer admin;
    private List<InetSocketAddress> sipAddresses;
    private IdentityComponents identity;

    /** The Identity signing key holder, when signing is configured: SIGHUP calls its {@code reload()}. */
    public Optional<SigningMaterialHolder> identitySigning() {
        return identity == null ? Optional.empty() : identity.signing();
    }

    /** The check of peers' signed cards (verify-identity peers), for the proxy's card hook. */
    public Optional<VerifiedCardGate> verifiedCards() {
        return identity == null ? Optional.empty() : identity.verifier();
    }

    private Gateway() {
    }

    private void startAll(GatewayConfig config, String bootstrapToken, Clock clock) {
        metrics = new GatewayMetrics();
        closers.push(metrics::close);
        metrics.bindHealth(health);
        createDirectories(config);

        JdbcRegistryStores stores = JdbcRegistryStores.open(config.database());
        closers.push(stores::close);
        health.register(HealthCheck.of("database", () -> database(stores)));

        // The SMS work stores are declared whether or not smpp is configured: every member must declare the same.
        RegistryMember member = RegistryMember.start(config.cluster(), stores, SmppGateway.WORK_STORES);
        closers.push(member::close);
        health.register(HealthCheck.of("cluster", () -> cluster(member)));
        metrics.bindHazelcast(member.hazelcast(), List.of(member.warningNumbers(), member.fraudNumbers(), member.familyContacts()));
        LOG.info("registry member {} up: {} warning numbers, {} fraud numbers, {} family contacts", member.address(),
                member.warningNumbers().size(), member.fraudNumbers().size(), member.familyContacts().size());

        registry = new HazelcastNumberRegistry(member, stores.audit(), stores.listings(), stores.fraudNumbers());
        ImportJournal imports = stores.importJournal(config.node().id());
        imports.markInterrupted().forEach(r -> LOG.warn("import {} by {} was interrupted when this node stopped: {} rows"
                + " read, {} stored, {} rejected", r.id(), r.actor(), r.rowsRead(), r.stored(), r.rejected()));
        HazelcastContactEventLog contactEvents = new HazelcastContactEventLog(member, clock);
        NumberListLoader lists = new NumberListLoader(registry, clock, config.node().dataDir());
        lists.load(config.lists());
        reloadables.register("number lists", () -> lists.load(config.lists()).describe());

        Optional<SmppGateway> smpp = config.smpp().map(s -> startSmpp(s, member, contactEvents));
        health.register(HealthCheck.of("smpp", () -> smpp.map(Gateway::smpp)
                .orElse(ComponentHealth.up("off: no SMSC configured (smpp.smscs)"))));

        identity = IdentityComponents.start(config.identity(), metrics.registry(), clock);
        SipProxy.Builder sipBuilder = SipProxy.builder(config.sip()).callerCards(registry).fraudNumbers(registry)
                .contactEvents(contactEvents).meterRegistry(metrics.registry()).clock(clock);
        identity.signing().ifPresent(keys -> sipBuilder.identitySigning(keys, JCard::bytes));
        // SIGHUP re-reads the signing key and certificate (rotation without a restart); a failed reload keeps the old key.
        identity.signing().ifPresent(keys -> reloadables.register("identity signing key",
                () -> "signing certificate " + keys.reload().fingerprint()));
        // Peers' cards survive the trust boundary only when their rcd PASSporT verifies (RFC 8224, RFC 9795).
        identity.verifier().ifPresent(gate -> sipBuilder.verifiedCards((invite, from) -> gate.cardVerified(invite, from.remote().getAddress())));
        SipProxy sip = sipBuilder.build();
        closers.push(sip::close);
        // The display-name shield protects every card name and agency: re-read on any change in the
        // cluster, and every 5 minutes in case an event was missed (issue 10).
        RegisteredNamesRefresher protectedNames = new RegisteredNamesRefresher(registry::listWarningNumbers, sip,
                java.time.Duration.ofMinutes(5));
        closers.push(protectedNames::close);
        UUID namesListener = member.warningNumbers().addEntryListener(new WarningNumberChanges(protectedNames::changed), false);
        closers.push(() -> member.warningNumbers().removeEntryListener(namesListener));
        sipAddresses = sip.start();
        LOG.info("SIP proxy listening on {}", describe(config, sipAddresses));
        health.register(HealthCheck.of("sip", () -> new ComponentHealth(true, sipAddresses.size() + " listeners",
                sipListeners(config, sipAddresses))));

        AdminApi.Builder api = AdminApi.builder(TokenAuthenticator.withBootstrap(config.admin().tokens(), bootstrapToken),
                registry, imports, health, metrics, clock).contactEvents(pendingContactEvents(contactEvents));
        smpp.ifPresent(s -> api.warnings(s.warnings()));
        identity.signing().ifPresent(keys -> api.signingCertificate(() -> keys.material().chainPem()));
        AdminSettings a = config.admin();
        admin = new AdminServer(api.build(), new AdminServer.Options(a.host(), a.port(), a.maxBodyBytes(),
                a.maxImportBytes(), a.workers(), a.queue(), a.importWorkers(), a.maxImportsPerToken(), a.readTimeout(),
                a.idleTimeout(), a.requestTimeout(), a.importTimeout()), metrics.registry());
        closers.push(admin::close);
        admin.start();
    }

    /**
     * Starts every component; on failure, closes what already started and rethrows.
     *
     * @param bootstrapToken value of {@code GATEWAY_ADMIN_TOKEN}, or null
     */
    public static Gateway start(GatewayConfig config, String bootstrapToken, Clock clock) {
        requireNonNull(config, "config");
        requireNonNull(clock, "clock");
        Gateway gateway = new Gateway();
        try {
            gateway.startAll(config, bootstrapToken, clock);
            return gateway;
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
    }

    private SmppGateway startSmpp(SmppSettings s, RegistryMember member, HazelcastContactEventLog contactEvents) {
        WarningTemplates templates = WarningTemplates.load(s.templates());
        // A member cut off from the majority sends no SMS job: the majority takes its leases over.
        SmppGateway smpp = new SmppGateway(s.gateway(), templates, member.workStores(), registry::familyContacts,
                metrics.registry(), member.quorum()::mayDispatchWork);
        closers.push(smpp::close);
        smpp.start();
        smpp.consumeContactEvents(contactEvents);
        return smpp;
    }

    /** The admin API's view of the contact-event log: pending events, with the consumer whose lease still runs. */
    public static ContactEventQueries pendingContactEvents(HazelcastContactEventLog log) {
        return (number, max, now) -> log.pendingInvolving(number, max).stream()
                .map(e -> new PendingContactEvent(e.event(),
                        e.claimableAt(now) ? Optional.empty() : Optional.ofNullable(e.leasedBy())))
                .toList();
    }

    private static void createDirectories(GatewayConfig config) {
        try {
            Files.createDirectories(config.node().dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.node().dataDir(), e);
        }
    }

    private static ComponentHealth database(JdbcRegistryStores stores) {
        try (Connection c = stores.dataSource().getConnection()) {
            return c.isValid(2) ? ComponentHealth.up(c.getMetaData().getDatabaseProductName())
                    : ComponentHealth.down("connection not valid");
        } catch (SQLException e) {
            return ComponentHealth.down(e.getMessage());
        }
    }

    private static ComponentHealth cluster(RegistryMember member) {
        if (!member.hazelcast().getLifecycleService().isRunning()) {
            return ComponentHealth.down("member stopped");
        }
        int members = member.hazelcast().getCluster().getMembers().size();
        // Down without quorum: writes answer 503 and cards are not served, so a balancer should steer away.
        return new ComponentHealth(member.quorum().present(), members + (members == 1 ? " member" : " members")
                + ", this one " + member.address() + "; " + member.quorum().describe(), List.of());
    }

    private static ComponentHealth smpp(SmppGateway smpp) {
        List<BindHealth> binds = smpp.health();
        long bound = binds.stream().filter(BindHealth::isBound).count();
        List<String> parts = binds.stream().map(b -> b.name() + " " + b.state()
                + (b.lastError().isEmpty() ? "" : ": " + b.lastError())).toList();
        String detail = bound + " of " + binds.size() + " binds up"
                + (bound == 0 ? "; warnings stay queued until an SMSC answers" : "");
        return new ComponentHealth(bound > 0, detail, parts);
    }

    private static List<String> sipListeners(GatewayConfig config, List<InetSocketAddress> addresses) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            out.add(config.sip().listeners().get(i).transport().uriParam() + " " + addresses.get(i).getHostString()
                    + ":" + addresses.get(i).getPort());
        }
        return out;
    }

    private static String describe(GatewayConfig config, List<InetSocketAddress> addresses) {
        var udp = config.sip().udp();
        String receive = udp.receive() == cn.antifraud.gateway.sip.UdpSettings.UdpReceive.WORKERS
                ? udp.workers() + " blocking receive worker(s) per UDP listener"
                : "UDP on the Netty event loops";
        return String.join(", ", sipListeners(config, addresses)) + " (" + receive + ")";
    }

    public NumberRegistry registry() {
        return registry;
    }

    public HealthService health() {
        return health;
    }

    /** What {@code SIGHUP} reloads: the number lists, and what other components register at startup. */
    public Reloadables reloadables() {
        return reloadables;
    }

    /** The admin API's port (resolved when configured as 0). */
    public int adminPort() {
        return admin.port();
    }

    /** The SIP listeners' bound addresses, in config order. */
    public List<InetSocketAddress> sipAddresses() {
        return sipAddresses;
    }

    /** Stops taking work and closes components in reverse start order: API, SIP, SMPP, member, database. */
    @Override
    public void close() {
        while (!closers.isEmpty()) {
            Runnable c = closers.pop();
            try {
                c.run();
            } catch (RuntimeException e) {
                LOG.warn("error while stopping: {}", e.toString());
            }
        }
        LOG.info("gateway stopped");
    }
}
