package cn.antifraud.gateway.app.config;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.sip.Cidr;
import cn.antifraud.gateway.sip.FraudAction;
import cn.antifraud.gateway.sip.NextHop;
import cn.antifraud.gateway.sip.PeerRole;
import cn.antifraud.gateway.sip.SipLimits;
import cn.antifraud.gateway.sip.SipListener;
import cn.antifraud.gateway.sip.SipProxyConfig;
import cn.antifraud.gateway.sip.SipTransport;
import cn.antifraud.gateway.sip.SpoofAction;
import cn.antifraud.gateway.sip.TcpSettings;
import cn.antifraud.gateway.sip.TrustedPeer;
import cn.antifraud.gateway.sip.UdpSettings;
import cn.antifraud.gateway.sip.UnknownSourcePolicy;
import cn.antifraud.gateway.sip.identity.VerifiedCardGate.VerifyingPeer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads the {@code sip} section into the proxy's own {@link SipProxyConfig}; a value its types refuse
 * becomes a {@link ConfigException} at the key.
 */
final class SipSettingsReader {
    private final IdentitySettingsReader identityReader;
    private IdentitySettings identity;

    SipSettingsReader(Function<String, String> environment, Path baseDir) {
        this.identityReader = new IdentitySettingsReader(environment, baseDir);
    }

    /** The {@code sip.identity} settings and the peers marked {@code verify-identity}, after {@link #read}. */
    IdentitySettings identity() {
        return identity;
    }

    /** {@code tier2MinDuration} comes from the {@code warnings} section: the proxy measures the calls. */
    SipProxyConfig read(Section s, Duration tier2MinDuration) {
        SipProxyConfig.Builder b = SipProxyConfig.builder().tier2MinDuration(tier2MinDuration);
        List<Section> listeners = s.sections("listeners");
        if (listeners.isEmpty()) {
            throw s.error("listeners", "at least one SIP listener is needed");
        }
        Set<String> bound = new HashSet<>();
        for (Section l : listeners) {
            SipTransport transport = at(l, "transport", () -> SipTransport.parse(l.string("transport", "udp")));
            String address = l.string("address", "127.0.0.1");
            int port = l.port("port", 5060, true);
            String advertised = l.optionalString("advertised-host").orElse(null);
            if (port != 0 && !bound.add(transport + " " + address + ":" + port)) {
                throw l.error("port", "another listener already uses " + transport.uriParam() + " " + address + ":" + port);
            }
            b.listener(at(l, "address", () -> new SipListener(transport, address, port, advertised)));
            l.finish();
        }
        Section lim = s.section("limits");
        SipLimits limits = at(lim, "max-message-bytes", () -> new SipLimits(
                lim.integer("max-message-bytes", SipLimits.DEFAULT_MAX_MESSAGE_BYTES, 512, 16 * 1024 * 1024),
                lim.integer("max-headers", 256, 8, 4096),
                lim.integer("max-line-length", 8 * 1024, 128, 16 * 1024 * 1024)));
        lim.finish();
        b.limits(limits);
        Section tcp = s.section("tcp");
        TcpSettings tcpSettings = at(tcp, "idle-timeout", () -> new TcpSettings(
                tcp.duration("idle-timeout", Duration.ofSeconds(120)),
                tcp.integer("write-buffer-bytes", 1024 * 1024, 64 * 1024, 256 * 1024 * 1024)));
        tcp.finish();
        b.tcp(tcpSettings);
        Section udp = s.section("udp");
        UdpSettings udpSettings = new UdpSettings(
                udp.enumValue("receive", UdpSettings.UdpReceive.class, UdpSettings.UdpReceive.WORKERS),
                udp.integer("workers", UdpSettings.defaults().workers(), 1, 64));
        udp.finish();
        b.udp(udpSettings);
        b.recordRoute(s.bool("record-route", true));

        Set<String> names = new HashSet<>();
        List<VerifyingPeer> verifying = new ArrayList<>();
        for (Section p : s.sections("trusted-peers")) {
            String name = p.string("name");
            if (!names.add(name)) {
                throw p.error("name", "duplicate peer name '" + name + "'");
            }
            Cidr cidr = at(p, "cidr", () -> Cidr.parse(p.string("cidr")));
            PeerRole role = at(p, "role", () -> PeerRole.parse(p.string("role", "interconnect")));
            b.trustedPeer(new TrustedPeer(name, cidr, role, p.bool("asserts-identity", false)));
            if (p.bool("verify-identity", false)) {
                verifying.add(new VerifyingPeer(name, cidr));
            }
            p.finish();
        }
        for (Section r : s.sections("routes")) {
            String prefix = r.string("prefix");
            NextHop hop = at(r, "next-hop", () -> NextHop.parse(r.string("next-hop")));
            at(r, "prefix", () -> b.route(prefix, hop));
            r.finish();
        }
        s.optionalString("default-route").ifPresent(v -> b.defaultRoute(at(s, "default-route", () -> NextHop.parse(v))));
        b.unknownSourcePolicy(s.enumValue("unknown-sources", UnknownSourcePolicy.class, UnknownSourcePolicy.REJECT_403));
        if (s.optionalString("spoof-action").filter(v -> v.trim().equalsIgnoreCase("forward-unbranded")).isPresent()) {
            // The value of earlier versions: it forwarded an impostor's display name, which no card may now let through.
            throw s.error("spoof-action", "forward-unbranded was replaced by strip-name (the same, with an imitating "
                    + "display name removed), number-as-name or reject-608");
        }
        b.spoofAction(s.enumValue("spoof-action", SpoofAction.class, SpoofAction.STRIP_NAME));
        if (s.has("protected-terms")) {
            List<String> terms = new java.util.ArrayList<>();
            for (Section.Value v : s.values("protected-terms")) {
                String problem = cn.antifraud.gateway.sip.proxy.ProtectedNames.termProblem(v.text());
                if (problem != null) {
                    throw v.error("'" + v.text() + "' " + problem);
                }
                terms.add(v.text());
            }
            b.protectedTerms(terms);
        }
        for (Section.Value v : s.values("reject-fraud-types")) {
            try {
                b.fraudAction(FraudType.parse(v.text()), FraudAction.REJECT_608);
            } catch (IllegalArgumentException e) {
                throw v.error(e.getMessage());
            }
        }
        String cardBaseUrl = s.string("card-base-url", "http://127.0.0.1:8080/cards/");
        at(s, "card-base-url", () -> b.cardUrlBase(cardBaseUrl));
        b.contactPublishTimeout(GatewayConfigLoader.positive(s, "contact-publish-timeout", Duration.ofMillis(500)));
        b.spoofLogInterval(s.duration("spoof-log-interval", Duration.ofMinutes(1)));
        b.ioThreads(s.integer("io-threads", Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 256));
        identity = identityReader.read(s.section("identity"), verifying, s);
        s.finish();
        return at(s, "listeners", b::build);
    }

    /** Runs a conversion; its {@link IllegalArgumentException} becomes an error at {@code key}. */
    private static <T> T at(Section s, String key, Supplier<T> f) {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            throw s.error(key, e.getMessage());
        }
    }
}
