package cn.antifraud.gateway.app.config;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.FraudType;
import java.util.List;
import java.util.Set;

/**
 * The SIP proxy's settings as the operator writes them (RFC 3261 §16 proxy; branding per RFC 9796;
 * spoof shield per RFC 3325; rejection with 608 per RFC 8688).
 *
 * @param listeners      UDP and TCP listeners
 * @param limits         message size limits
 * @param peers          known ingress peers; requests from other sources follow {@code unknownSources}
 * @param routes         next hop by called-number prefix, longest prefix first
 * @param defaultRoute   next hop when no prefix matches ({@code host:port}), or empty for none
 * @param unknownSources what to do with a request from an unlisted source
 * @param recordRoute    whether the proxy stays on the path of in-dialog requests
 * @param spoofAction    what to do with an untrusted INVITE that claims a warning number
 * @param rejectFraudTypes fraud types whose calls are rejected with 608 instead of only warned about
 * @param cardBaseUrl    base URL of the jCards in Call-Info, ending in '/'; the number's E.164 is appended
 */
public record SipSettings(List<Listener> listeners, Limits limits, List<Peer> peers, List<Route> routes,
                          String defaultRoute, UnknownSources unknownSources, boolean recordRoute,
                          SpoofAction spoofAction, Set<FraudType> rejectFraudTypes, String cardBaseUrl) {

    public SipSettings {
        listeners = List.copyOf(listeners);
        requireNonNull(limits, "limits");
        peers = List.copyOf(peers);
        routes = List.copyOf(routes);
        requireNonNull(defaultRoute, "defaultRoute");
        requireNonNull(unknownSources, "unknownSources");
        requireNonNull(spoofAction, "spoofAction");
        rejectFraudTypes = Set.copyOf(rejectFraudTypes);
        requireNonNull(cardBaseUrl, "cardBaseUrl");
    }

    /** A transport. */
    public enum Transport { UDP, TCP }

    /** What to do with requests from a source that matches no peer. */
    public enum UnknownSources { REJECT, UNTRUSTED }

    /** What to do with an untrusted INVITE that claims a registered warning number. */
    public enum SpoofAction { FORWARD, REJECT }

    /** A peer's role in the carrier network. */
    public enum PeerRole { POLICE, INTERCONNECT, ACCESS, CORE }

    /** One listener. */
    public record Listener(Transport transport, String host, int port) {
        public Listener {
            requireNonNull(transport, "transport");
            requireNonNull(host, "host");
        }
    }

    /** Size limits of one message (RFC 3261 §18.1.1 allows 513 for a request too large). */
    public record Limits(int maxMessageBytes, int maxHeaders, int maxLineLength) {
    }

    /**
     * A known ingress peer.
     *
     * @param name            for logs and metrics
     * @param cidr            source addresses, e.g. 10.1.0.0/16
     * @param role            what the peer is
     * @param trusted         whether branding is allowed on its INVITEs (RFC 3325 trust domain)
     * @param assertsIdentity whether its From is an asserted identity (no P-Asserted-Identity sent)
     */
    public record Peer(String name, String cidr, PeerRole role, boolean trusted, boolean assertsIdentity) {
        public Peer {
            requireNonNull(name, "name");
            requireNonNull(cidr, "cidr");
            requireNonNull(role, "role");
        }
    }

    /** Next hop for called numbers that start with {@code prefix} (national digits). */
    public record Route(String prefix, String nextHop, Transport transport) {
        public Route {
            requireNonNull(prefix, "prefix");
            requireNonNull(nextHop, "nextHop");
            requireNonNull(transport, "transport");
        }
    }
}
