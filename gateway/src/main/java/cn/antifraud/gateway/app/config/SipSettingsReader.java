package cn.antifraud.gateway.app.config;

import cn.antifraud.gateway.registry.FraudType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the {@code sip} section into {@link SipSettings}. */
final class SipSettingsReader {

    SipSettings read(Section s) {
        List<SipSettings.Listener> listeners = new ArrayList<>();
        Set<String> bound = new HashSet<>();
        for (Section l : s.sections("listeners")) {
            SipSettings.Transport transport = l.enumValue("transport", SipSettings.Transport.class, SipSettings.Transport.UDP);
            String host = l.string("address", "127.0.0.1");
            int port = l.port("port", 5060, true);
            if (port != 0 && !bound.add(transport + " " + host + ":" + port)) {
                throw l.error("port", "another listener already uses " + transport.name().toLowerCase(java.util.Locale.ROOT)
                        + " " + host + ":" + port);
            }
            l.finish();
            listeners.add(new SipSettings.Listener(transport, host, port));
        }
        if (listeners.isEmpty()) {
            throw s.error("listeners", "at least one SIP listener is needed");
        }
        Section lim = s.section("limits");
        SipSettings.Limits limits = new SipSettings.Limits(
                lim.integer("max-message-bytes", 64 * 1024, 1024, 1024 * 1024),
                lim.integer("max-headers", 128, 8, 1024),
                lim.integer("max-line-length", 8 * 1024, 256, 64 * 1024));
        lim.finish();

        List<SipSettings.Peer> peers = new ArrayList<>();
        Set<String> peerNames = new HashSet<>();
        for (Section p : s.sections("peers")) {
            String name = p.string("name");
            if (!peerNames.add(name)) {
                throw p.error("name", "duplicate peer name '" + name + "'");
            }
            String cidr = p.string("cidr");
            checkCidr(p, cidr);
            peers.add(new SipSettings.Peer(name, cidr,
                    p.enumValue("role", SipSettings.PeerRole.class, SipSettings.PeerRole.INTERCONNECT),
                    p.bool("trusted", false), p.bool("asserts-identity", false)));
            p.finish();
        }
        List<SipSettings.Route> routes = new ArrayList<>();
        for (Section r : s.sections("routes")) {
            String prefix = r.string("prefix");
            if (!prefix.matches("\\+?[0-9]{1,15}")) {
                throw r.error("prefix", "must be digits (national or +E.164), got '" + prefix + "'");
            }
            String nextHop = hostPort(r, "next-hop", r.string("next-hop"));
            routes.add(new SipSettings.Route(prefix, nextHop, r.enumValue("transport", SipSettings.Transport.class,
                    SipSettings.Transport.UDP)));
            r.finish();
        }
        String defaultRoute = s.optionalString("default-route").map(v -> hostPort(s, "default-route", v)).orElse("");
        SipSettings.UnknownSources unknown = s.enumValue("unknown-sources", SipSettings.UnknownSources.class,
                SipSettings.UnknownSources.UNTRUSTED);
        boolean recordRoute = s.bool("record-route", true);
        Section policies = s.section("policies");
        SipSettings.SpoofAction spoof = policies.enumValue("spoof-action", SipSettings.SpoofAction.class,
                SipSettings.SpoofAction.FORWARD);
        Set<FraudType> reject = EnumSet.noneOf(FraudType.class);
        for (Section.Value v : policies.values("reject-fraud-types")) {
            try {
                reject.add(FraudType.parse(v.text()));
            } catch (IllegalArgumentException e) {
                throw v.error(e.getMessage());
            }
        }
        policies.finish();
        String cardBaseUrl = s.string("card-base-url", "http://127.0.0.1:8080/cards/");
        if (!cardBaseUrl.matches("https?://[^\\s\"<>]+/")) {
            throw s.error("card-base-url", "must be an http(s) URL ending in '/', got '" + cardBaseUrl + "'");
        }
        s.finish();
        return new SipSettings(listeners, limits, peers, routes, defaultRoute, unknown, recordRoute, spoof, reject,
                cardBaseUrl);
    }

    private static void checkCidr(Section p, String cidr) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        int max = address.contains(":") ? 128 : 32;
        if (!address.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
            throw p.error("cidr", "must be an IP address or network like 10.1.0.0/16, got '" + cidr + "'");
        }
        if (slash >= 0) {
            try {
                int bits = Integer.parseInt(cidr.substring(slash + 1));
                if (bits < 0 || bits > max) {
                    throw p.error("cidr", "prefix length must be 0-" + max + ", got " + bits);
                }
            } catch (NumberFormatException e) {
                throw p.error("cidr", "prefix length must be a number, got '" + cidr.substring(slash + 1) + "'");
            }
        }
    }

    private static String hostPort(Section s, String key, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw s.error(key, "must be host:port, got '" + value + "'");
        }
        GatewayConfigLoader.parsePort(s, key, value.substring(colon + 1), false);
        return value.trim();
    }
}
