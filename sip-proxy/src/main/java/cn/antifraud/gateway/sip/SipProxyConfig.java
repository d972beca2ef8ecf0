package cn.antifraud.gateway.sip;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.FraudType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable configuration of a {@link SipProxy}, made by {@link #builder()}. Validated when built:
 * a bad value throws {@link IllegalArgumentException} naming the setting.
 */
public final class SipProxyConfig {
    /**
     * Default {@code sip.protected-terms}: the words of a police or anti-fraud caller card. Matched as
     * substrings of a normalised display name, so 国家反诈中心 and 反诈中心 need no entries of their own;
     * 110 is left out because it hides inside ordinary numbers shown as names.
     */
    public static final List<String> DEFAULT_PROTECTED_TERMS =
            List.of("反诈", "公安", "警方", "警察", "公检法", "检察院", "法院", "96110", "12381");

    private final List<SipListener> listeners;
    private final SipLimits limits;
    private final TcpSettings tcp;
    private final UdpSettings udp;
    private final boolean recordRoute;
    private final List<TrustedPeer> trustedPeers;
    private final List<PrefixRoute> routes;
    private final NextHop defaultRoute;
    private final UnknownSourcePolicy unknownSourcePolicy;
    private final SpoofAction spoofAction;
    private final List<String> protectedTerms;
    private final URI cardUrlBase;
    private final Map<FraudType, FraudAction> fraudPolicy;
    private final Duration contactPublishTimeout;
    private final Duration spoofLogInterval;
    private final Duration tier2MinDuration;
    private final int ioThreads;

    private SipProxyConfig(Builder b) {
        this.listeners = List.copyOf(b.listeners);
        this.limits = b.limits;
        this.tcp = b.tcp;
        this.udp = b.udp;
        this.recordRoute = b.recordRoute;
        this.trustedPeers = List.copyOf(b.trustedPeers);
        this.routes = List.copyOf(b.routes);
        this.defaultRoute = b.defaultRoute;
        this.unknownSourcePolicy = b.unknownSourcePolicy;
        this.spoofAction = b.spoofAction;
        this.protectedTerms = List.copyOf(b.protectedTerms);
        this.cardUrlBase = b.cardUrlBase;
        this.fraudPolicy = Map.copyOf(b.fraudPolicy);
        this.contactPublishTimeout = b.contactPublishTimeout;
        this.spoofLogInterval = b.spoofLogInterval;
        this.tier2MinDuration = b.tier2MinDuration;
        this.ioThreads = b.ioThreads;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<SipListener> listeners() {
        return listeners;
    }

    public SipLimits limits() {
        return limits;
    }

    /** Whether the proxy adds Record-Route to dialog-creating requests (RFC 3261 §16.6 step 4). */
    /** Idle timeout and write buffer bound of TCP connections. */
    public TcpSettings tcp() {
        return tcp;
    }

    /** How UDP listeners receive: blocking workers (the default) or a Netty event loop. */
    public UdpSettings udp() {
        return udp;
    }

    public boolean recordRoute() {
        return recordRoute;
    }

    public List<TrustedPeer> trustedPeers() {
        return trustedPeers;
    }

    public List<PrefixRoute> routes() {
        return routes;
    }

    /** The next hop for called numbers no prefix matches. */
    public Optional<NextHop> defaultRoute() {
        return Optional.ofNullable(defaultRoute);
    }

    public UnknownSourcePolicy unknownSourcePolicy() {
        return unknownSourcePolicy;
    }

    public SpoofAction spoofAction() {
        return spoofAction;
    }

    /** Base URL of the jCards the gateway serves; the E.164 number is appended. */
    public URI cardUrlBase() {
        return cardUrlBase;
    }

    /** The action for a fraud type: {@link FraudAction#WARN} unless configured otherwise. */
    public FraudAction fraudAction(FraudType type) {
        return fraudPolicy.getOrDefault(type, FraudAction.WARN);
    }

    /** How long an INVITE waits for its contact event to be durable before it is forwarded anyway. */
    public Duration contactPublishTimeout() {
        return contactPublishTimeout;
    }

    /**
     * Words no display name may imitate on a call the gateway did not brand, besides the registry's
     * card names and agencies (see {@code ProtectedNames}); default {@link #DEFAULT_PROTECTED_TERMS}.
     */
    public List<String> protectedTerms() {
        return protectedTerms;
    }

    /** At most one spoof log line per source address in this interval (default 1 minute). */
    public Duration spoofLogInterval() {
        return spoofLogInterval;
    }

    /** An answered fraud contact at least this long raises a tier-2 contact event at its BYE (default 60 s). */
    public Duration tier2MinDuration() {
        return tier2MinDuration;
    }

    /** Event-loop threads shared by all listeners and outbound connections. */
    public int ioThreads() {
        return ioThreads;
    }

    /** Builds a {@link SipProxyConfig}; setters are named after the setting. */
    public static final class Builder {
        private final List<SipListener> listeners = new ArrayList<>();
        private SipLimits limits = SipLimits.defaults();
        private TcpSettings tcp = TcpSettings.defaults();
        private UdpSettings udp = UdpSettings.defaults();
        private boolean recordRoute = true;
        private final List<TrustedPeer> trustedPeers = new ArrayList<>();
        private final List<PrefixRoute> routes = new ArrayList<>();
        private NextHop defaultRoute;
        private UnknownSourcePolicy unknownSourcePolicy = UnknownSourcePolicy.REJECT_403;
        private SpoofAction spoofAction = SpoofAction.STRIP_NAME;
        private List<String> protectedTerms = DEFAULT_PROTECTED_TERMS;
        private URI cardUrlBase = URI.create("http://127.0.0.1:8080/cards/");
        private final Map<FraudType, FraudAction> fraudPolicy = new EnumMap<>(FraudType.class);
        private Duration contactPublishTimeout = Duration.ofMillis(500);
        private Duration spoofLogInterval = Duration.ofMinutes(1);
        private Duration tier2MinDuration = Duration.ofSeconds(60);
        private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        public Builder listener(SipListener listener) {
            listeners.add(requireNonNull(listener, "listener"));
            return this;
        }

        public Builder listeners(List<SipListener> all) {
            requireNonNull(all, "listeners").forEach(this::listener);
            return this;
        }

        public Builder limits(SipLimits limits) {
            this.limits = requireNonNull(limits, "limits");
            return this;
        }

        public Builder tcp(TcpSettings tcp) {
            this.tcp = requireNonNull(tcp, "tcp");
            return this;
        }

        public Builder udp(UdpSettings udp) {
            this.udp = requireNonNull(udp, "udp");
            return this;
        }

        public Builder recordRoute(boolean recordRoute) {
            this.recordRoute = recordRoute;
            return this;
        }

        public Builder trustedPeer(TrustedPeer peer) {
            trustedPeers.add(requireNonNull(peer, "trustedPeer"));
            return this;
        }

        public Builder route(PrefixRoute route) {
            routes.add(requireNonNull(route, "route"));
            return this;
        }

        public Builder route(String prefix, NextHop nextHop) {
            return route(new PrefixRoute(prefix, nextHop));
        }

        public Builder defaultRoute(NextHop nextHop) {
            this.defaultRoute = nextHop;
            return this;
        }

        public Builder unknownSourcePolicy(UnknownSourcePolicy policy) {
            this.unknownSourcePolicy = requireNonNull(policy, "unknownSourcePolicy");
            return this;
        }

        public Builder spoofAction(SpoofAction action) {
            this.spoofAction = requireNonNull(action, "spoofAction");
            return this;
        }

        /** Replaces the protected terms (default {@link SipProxyConfig#DEFAULT_PROTECTED_TERMS}); may be empty. */
        public Builder protectedTerms(List<String> terms) {
            this.protectedTerms = List.copyOf(requireNonNull(terms, "protectedTerms"));
            return this;
        }

        public Builder cardUrlBase(URI base) {
            this.cardUrlBase = requireNonNull(base, "cardUrlBase");
            return this;
        }

        public Builder cardUrlBase(String base) {
            return cardUrlBase(URI.create(requireNonNull(base, "cardUrlBase")));
        }

        public Builder fraudAction(FraudType type, FraudAction action) {
            fraudPolicy.put(requireNonNull(type, "fraudType"), requireNonNull(action, "fraudAction"));
            return this;
        }

        public Builder contactPublishTimeout(Duration timeout) {
            this.contactPublishTimeout = requireNonNull(timeout, "contactPublishTimeout");
            return this;
        }

        public Builder tier2MinDuration(Duration duration) {
            requireNonNull(duration, "tier2MinDuration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("tier2MinDuration must be positive, got " + duration);
            }
            this.tier2MinDuration = duration;
            return this;
        }

        public Builder spoofLogInterval(Duration interval) {
            this.spoofLogInterval = requireNonNull(interval, "spoofLogInterval");
            return this;
        }

        public Builder ioThreads(int threads) {
            this.ioThreads = threads;
            return this;
        }

        /** Validates and builds. */
        public SipProxyConfig build() {
            if (listeners.isEmpty()) {
                throw new IllegalArgumentException("sip: at least one listener is required");
            }
            String scheme = cardUrlBase.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || !cardUrlBase.toString().endsWith("/")) {
                throw new IllegalArgumentException("sip.cardUrlBase must be an http(s) URL ending in '/', was " + cardUrlBase);
            }
            if (contactPublishTimeout.isNegative() || contactPublishTimeout.isZero()) {
                throw new IllegalArgumentException("sip.contactPublishTimeout must be positive");
            }
            if (spoofLogInterval.isNegative()) {
                throw new IllegalArgumentException("sip.spoofLogInterval must not be negative");
            }
            if (ioThreads < 1 || ioThreads > 256) {
                throw new IllegalArgumentException("sip.ioThreads must be 1 to 256, was " + ioThreads);
            }
            for (String term : protectedTerms) {
                String problem = cn.antifraud.gateway.sip.proxy.ProtectedNames.termProblem(term);
                if (problem != null) {
                    throw new IllegalArgumentException("sip.protectedTerms: '" + term + "' " + problem);
                }
            }
            List<String> names = new ArrayList<>();
            for (TrustedPeer p : trustedPeers) {
                if (names.contains(p.name())) {
                    throw new IllegalArgumentException("sip.trustedPeers: duplicate name '" + p.name() + "'");
                }
                names.add(p.name());
            }
            return new SipProxyConfig(this);
        }
    }
}
