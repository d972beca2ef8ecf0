package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.registry.CallerCardLookup;
import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.ContactEventLog;
import cn.antifraud.gateway.registry.FraudNumberLookup;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.sip.NextHop;
import cn.antifraud.gateway.sip.SipProxyConfig;
import cn.antifraud.gateway.sip.SipTransport;
import cn.antifraud.gateway.sip.SpoofAction;
import cn.antifraud.gateway.sip.TrustedPeer;
import cn.antifraud.gateway.sip.UnknownSourcePolicy;
import cn.antifraud.gateway.sip.identity.IdentitySigner;
import cn.antifraud.gateway.sip.message.NameAddress;
import cn.antifraud.gateway.sip.message.ParseFailure;
import cn.antifraud.gateway.sip.message.ParseResult;
import cn.antifraud.gateway.sip.message.SipHeaderNames;
import cn.antifraud.gateway.sip.message.SipMessage;
import cn.antifraud.gateway.sip.message.SipMessageBuilder;
import cn.antifraud.gateway.sip.message.SipMessageParser;
import cn.antifraud.gateway.sip.message.SipUri;
import cn.antifraud.gateway.sip.message.Via;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's decisions, free of I/O: a stateless proxy (RFC 3261 §16.11). Each request is checked
 * (§16.3: Max-Forwards, loops), its own Route entries removed (§16.4), a target chosen (Route, then
 * Request-URI for in-dialog requests, then the called number's prefix route), and a copy forwarded
 * (§16.6) with Max-Forwards decremented, a Record-Route when configured and a Via whose branch
 * {@link BranchFactory} derives from the request alone. Responses lose the proxy's Via and follow
 * the next one (§16.7 step 3, §18.2.2). Initial INVITEs are branded, shielded from spoofing and
 * checked for fraud contacts on the way.
 *
 * <p>Thread-safe and non-blocking: every call may run on any event loop.
 */
public final class StatelessProxy {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StatelessProxy.class);
    private static final Set<String> DIALOG_CREATING = Set.of("INVITE", "SUBSCRIBE", "REFER", "NOTIFY");

    private final SipProxyConfig config;
    private final LocalEndpoints local;
    private final PeerDirectory peers;
    private final PrefixRouter router;
    private final BranchFactory branches = new BranchFactory();
    private final CallerCardBranding branding;
    private final SpoofShield spoofShield;
    private final DisplayNameShield displayNames;
    private final SpoofLogLimiter displayNameLog;
    private final VerifiedCardCheck verifiedCards;
    /** Next hops known to take TCP, by address: where a request too large for UDP may go instead (RFC 3261 §18.1.1). */
    private final java.util.Map<java.net.InetAddress, InetSocketAddress> tcpHops = new java.util.HashMap<>();
    private final FraudContactCheck fraudCheck;
    private final ContactEventLog contactEvents;
    private final ProxyMetrics metrics;
    private final SipMessageParser parser;
    private final Clock clock;
    /** Per transport (by ordinal): our Via up to the branch value, and our Record-Route; fixed once the listeners are bound. */
    private final String[] viaPrefixes = new String[SipTransport.values().length];
    private final String[] recordRoutes = new String[SipTransport.values().length];
    private final LongCallWatch longCalls;

    /** As the full constructor, with the configured protected terms only and no signature trusted. */
    public StatelessProxy(SipProxyConfig config, LocalEndpoints local, CallerCardLookup cards,
                          FraudNumberLookup fraudNumbers, ContactEventLog contactEvents, ProxyMetrics metrics, Clock clock) {
        this(config, local, cards, fraudNumbers, contactEvents, metrics, clock,
                new ProtectedNames(config.protectedTerms()), VerifiedCardCheck.NONE, null);
    }

    /**
     * Everything the proxy core needs; built by {@link cn.antifraud.gateway.sip.SipProxy} once the listeners are bound.
     *
     * @param protectedNames names no unbranded display name may imitate (updated by the registry refresh)
     * @param verifiedCards  whether an unbranded INVITE's card is covered by a verified signature
     * @param signer         signs every card added (RFC 8224 Identity); null: cards go out unsigned
     */
    public StatelessProxy(SipProxyConfig config, LocalEndpoints local, CallerCardLookup cards,
                          FraudNumberLookup fraudNumbers, ContactEventLog contactEvents, ProxyMetrics metrics, Clock clock,
                          ProtectedNames protectedNames, VerifiedCardCheck verifiedCards, IdentitySigner signer) {
        this.config = config;
        this.local = local;
        this.peers = new PeerDirectory(config.trustedPeers());
        this.router = new PrefixRouter(config.routes(), config.defaultRoute().orElse(null));
        this.branding = new CallerCardBranding(cards, config.cardUrlBase(), signer);
        this.spoofShield = new SpoofShield(cards, new SpoofLogLimiter(config.spoofLogInterval(), System::nanoTime));
        this.displayNames = new DisplayNameShield(protectedNames);
        this.displayNameLog = new SpoofLogLimiter(config.spoofLogInterval(), System::nanoTime);
        this.verifiedCards = verifiedCards;
        config.defaultRoute().ifPresent(this::noteTcpHop);
        config.routes().forEach(r -> noteTcpHop(r.nextHop()));
        this.fraudCheck = new FraudContactCheck(fraudNumbers, config);
        this.contactEvents = contactEvents;
        this.metrics = metrics;
        this.parser = new SipMessageParser(config.limits().maxHeaders(), config.limits().maxLineLength());
        this.clock = clock;
        this.longCalls = new LongCallWatch(config.tier2MinDuration());
        for (SipTransport t : SipTransport.values()) {
            LocalEndpoint e = local.forTransport(t);
            if (e != null) {
                viaPrefixes[t.ordinal()] = "SIP/2.0/" + t.name() + " " + e.hostPort() + ";branch=";
                recordRoutes[t.ordinal()] = recordRoute(e);
            }
        }
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    private void noteTcpHop(NextHop hop) {
        InetSocketAddress a = hop.transport() == SipTransport.TCP ? ViaTarget.address(hop.host(), hop.port()) : null;
        if (a != null) {
            tcpHops.putIfAbsent(a.getAddress(), a);
        }
    }

    /** Decides what to do with one decoded message or decoding failure. */
    public ProxyAction process(ParseResult result, InboundSource source) {
        long start = System.nanoTime();
        try {
            if (!result.isSuccess()) {
                return onFailure(result.failure(), source);
            }
            SipMessage m = result.message();
            return m.isRequest() ? onRequest(m, source) : onResponse(m);
        } finally {
            metrics.processing(System.nanoTime() - start);
        }
    }

    private ProxyAction onFailure(ParseFailure failure, InboundSource source) {
        if (!failure.request()) {
            metrics.parseError("response");
            return drop("malformed_response");
        }
        metrics.parseError("request");
        if (isAck(failure)) {
            return drop("malformed_ack");
        }
        byte[] response = LocalResponses.forFailure(failure, Long.toHexString(BranchFactory.fnv64(source.toString())));
        if (response == null) {
            return drop("malformed_request_unanswerable");
        }
        metrics.localResponse(failure.status());
        return new ProxyAction.Send(source.transport(), source.remote(), response, true);
    }

    /**
     * An ACK by its request line, or, when the request line is unreadable, by its CSeq: either way it
     * gets no response (RFC 3261 §17.1.1.3, §17.2.1: an ACK is never answered).
     */
    private static boolean isAck(ParseFailure failure) {
        if ("ACK".equals(failure.method())) {
            return true;
        }
        for (byte[] line : failure.salvagedLines()) {
            String s = new String(line, java.nio.charset.StandardCharsets.ISO_8859_1);
            int colon = s.indexOf(':');
            if (colon > 0 && SipHeaderNames.canonical(s.substring(0, colon).trim()) == SipHeaderNames.CSEQ) {
                return s.substring(colon + 1).trim().endsWith(" ACK");
            }
        }
        return false;
    }

    private ProxyAction onResponse(SipMessage response) {
        metrics.response(response.statusCode());
        List<Via> vias = response.vias();
        if (vias.isEmpty() || !local.matches(vias.get(0).host(), vias.get(0).portOrDefault())) {
            return drop("response_not_ours");
        }
        if (vias.size() < 2) {
            return drop("response_without_next_via");
        }
        Via next = vias.get(1);
        SipTransport transport = ViaTarget.transportOf(next);
        InetSocketAddress destination = ViaTarget.destinationOf(next);
        if (transport == null || destination == null) {
            return drop("response_via_unroutable");
        }
        if (response.statusCode() >= 200 && "INVITE".equals(response.cseqMethod())) {
            longCalls.finalResponseToInvite(response.callId(), response.statusCode(), clock.instant());
        }
        return new ProxyAction.Send(transport, destination, SipMessageBuilder.from(response).popVia().build(), false);
    }

    private ProxyAction onRequest(SipMessage request, InboundSource source) {
        String method = request.method();
        metrics.request(method);
        boolean ack = method.equals("ACK");
        SipMessageBuilder out = SipMessageBuilder.from(request);
        Via top = request.topVia();
        String sourceIp = source.remote().getAddress().getHostAddress();
        // RFC 3581 §4 when asked; always over TCP, so the response can find its connection again.
        Integer rport = top.rport() != null || source.transport() == SipTransport.TCP ? source.remote().getPort() : null;
        String received = rport != null || !sourceIp.equalsIgnoreCase(top.host()) ? sourceIp : null;
        if (received != null) {
            out.setTopViaReceived(received, rport);
        }
        Optional<TrustedPeer> peer = peers.classify(source.remote().getAddress());
        if (peer.isEmpty() && config.unknownSourcePolicy() == UnknownSourcePolicy.REJECT_403) {
            return ack ? drop("ack_from_unknown_source") : respond(request, source, 403, "Forbidden (source not trusted)");
        }
        String ingress = peer.map(TrustedPeer::name).orElse("untrusted");
        if (!assertedIdentitiesWellFormed(request)) {
            // RFC 3325 §9.1: name-addr or addr-spec with a sip, sips or tel URI; a malformed one is
            // refused, never branded or passed on (issue 10).
            return ack ? drop("ack_malformed_identity") : respond(request, source, 400, "Bad Request (malformed P-Asserted-Identity)");
        }

        SipUri requestUri = SipUri.parse(request.requestUri());
        if (requestUri == null) {
            return ack ? drop("ack_bad_uri") : respond(request, source, 416, "Unsupported URI Scheme");
        }
        boolean toProxy = requestUri.host() != null && local.matches(requestUri.host(), requestUri.portOrDefault());
        List<String> routes = request.values(SipHeaderNames.ROUTE);
        int ours = 0;
        while (ours < routes.size() && isOurRoute(routes.get(ours))) {
            ours++;
        }
        String nextRoute = ours < routes.size() ? routes.get(ours) : null;

        if (method.equals("OPTIONS") && toProxy && requestUri.user() == null && nextRoute == null) {
            return respond(request, source, 200, "OK");
        }
        if (request.maxForwards() == 0) {
            return ack ? drop("ack_max_forwards") : respond(request, source, 483, "Too Many Hops");
        }
        String loopHash = branches.loopHash(request, nextRoute);
        for (Via v : request.vias()) {
            if (loopHash.equals(BranchFactory.loopHashOf(v.branch())) && local.matches(v.host(), v.portOrDefault())) {
                return ack ? drop("ack_loop") : respond(request, source, 482, "Loop Detected");
            }
        }
        for (int i = 0; i < ours; i++) {
            out.popRoute();
        }

        boolean initial = request.to().tag() == null;
        Target target = target(request, requestUri, toProxy, nextRoute, ours > 0, initial, ack);
        if (target.failureStatus != 0) {
            return ack ? drop("ack_unroutable") : respond(request, source, target.failureStatus, target.failureReason);
        }

        boolean invite = method.equals("INVITE");
        if (peer.isEmpty()) {
            // RFC 3325 §5: no asserted identity from outside the trust domain. The card of an INVITE
            // is judged below, whoever sent it.
            out.removePAssertedIdentity();
            if (!invite) {
                out.removeRichCallDataCallInfo();
            }
        }
        if (invite && !initial) {
            ProxyAction refused = shieldUnbranded(request, source, out, peer.isPresent(), ingress, false);
            if (refused != null) {
                return refused;
            }
        }
        if (!initial || !invite) {
            if (method.equals("BYE")) {
                longCalls.ended(request.callId(), clock.instant()).ifPresent(this::publishLongCall);
            } else if (method.equals("CANCEL")) {
                longCalls.cancelled(request.callId());
            }
            return forward(request, source, out, target, initial, method, loopHash, null);
        }
        Instant now = clock.instant();
        PhoneNumber called = target.called != null ? target.called : CallParties.called(request);
        PhoneNumber caller;
        boolean branded = false;
        if (peer.isPresent()) {
            caller = CallerCardBranding.assertedCaller(request, peer.get());
            Optional<WarningNumber> card = branding.apply(caller, called, out, now);
            if (card.isPresent()) {
                metrics.branded(ingress);
                branded = true;
            }
            if (caller == null) {
                caller = CallParties.from(request);
            }
        } else {
            if (spoofShield.claimsWarningNumber(request, source, ingress)) {
                metrics.spoof(ingress);
                if (config.spoofAction() == SpoofAction.REJECT_608) {
                    return respond(request, source, 608, "Rejected");
                }
            }
            caller = CallParties.from(request);
        }
        if (!branded) {
            ProxyAction refused = shieldUnbranded(request, source, out, peer.isPresent(), ingress, true);
            if (refused != null) {
                return refused;
            }
        }
        CompletableFuture<Optional<FraudContactCheck.Contact>> found = fraudCheck.check(caller,
                called, request.callId(), ingress, now).toCompletableFuture();
        if (found.isDone() && !found.isCompletedExceptionally()) {
            return afterFraudCheck(request, source, out, target, loopHash, found.join());
        }
        // A party this node's near cache has never seen: the registry's answer comes from the partition
        // owner. The INVITE waits for it off the event loop rather than miss a first contact.
        metrics.fraudCheckDeferred();
        return new ProxyAction.Deferred(found.handle((contact, error) -> {
            if (error != null) {
                metrics.fraudCheckFailure();
                return afterFraudCheck(request, source, out, target, loopHash, Optional.empty());
            }
            return afterFraudCheck(request, source, out, target, loopHash, contact);
        }));
    }

    /**
     * Cards only from us or from a verified signature (issue 10), for an INVITE the gateway did not
     * brand, from any peer: its Rich Call Data is removed, and From and P-Asserted-Identity display
     * names that imitate a protected name are neutralised per {@code sip.spoof-action}, counted and
     * logged at most once per source and interval. Returns the 608 when the action rejects an
     * initial INVITE, else null (the INVITE goes on with {@code out}'s edits).
     */
    private ProxyAction shieldUnbranded(SipMessage request, InboundSource source, SipMessageBuilder out, boolean trusted,
                                        String ingress, boolean initial) {
        if (verifiedCards.cardVerified(request, source)) {
            return null;
        }
        out.removeRichCallDataCallInfo();
        ProtectedNames.Match imitated = displayNames.check(request, trusted);
        if (imitated == null) {
            return null;
        }
        metrics.displayNameShielded(ingress, imitated.reason());
        String sourceIp = source.remote().getAddress().getHostAddress();
        if (displayNameLog.tryAcquire(sourceIp)) {
            LOG.warn("display name imitating protected name '{}' ({}) from {} (ingress {}), Call-ID {}: {}; further ones "
                    + "from this source are counted, not logged, for the interval", imitated.name(), imitated.reason(),
                    sourceIp, ingress, request.callId(), config.spoofAction());
        }
        if (config.spoofAction() == SpoofAction.REJECT_608 && initial) {
            return respond(request, source, 608, "Rejected");
        }
        displayNames.neutralise(request, out, config.spoofAction() == SpoofAction.NUMBER_AS_NAME);
        return null;
    }

    /** Every P-Asserted-Identity element is a name-addr or addr-spec with a sip, sips or tel URI (RFC 3325 §9.1). */
    private static boolean assertedIdentitiesWellFormed(SipMessage request) {
        for (String element : request.values(SipHeaderNames.P_ASSERTED_IDENTITY)) {
            NameAddress a = NameAddress.parse(element);
            if (a == null || !a.hasIdentityUri()) {
                return false;
            }
        }
        return true;
    }

    /** An initial INVITE once the fraud check has answered: rejected with 608, or forwarded (after its contact event). */
    private ProxyAction afterFraudCheck(SipMessage request, InboundSource source, SipMessageBuilder out, Target target,
                                        String loopHash, Optional<FraudContactCheck.Contact> found) {
        FraudContactCheck.Contact contact = null;
        if (found.isPresent()) {
            contact = found.get();
            String type = contact.fraudNumber().fraudType().code();
            if (contact.reject()) {
                metrics.fraudContact(type, "rejected");
                return respond(request, source, 608, "Rejected");
            }
            metrics.fraudContact(type, "warned");
        }
        return forward(request, source, out, target, true, "INVITE", loopHash, contact);
    }

    /** §16.6 steps 3-8 for a request that passed every check: the copy leaves with our Via (and Record-Route). */
    private ProxyAction forward(SipMessage request, InboundSource source, SipMessageBuilder out, Target target,
                                boolean initial, String method, String loopHash, FraudContactCheck.Contact contact) {
        boolean ack = method.equals("ACK");
        out.decrementMaxForwards();
        SipTransport transport = target.transport;
        InetSocketAddress destination = target.destination;
        LocalEndpoint egress = local.forTransport(transport);
        if (egress == null) {
            return ack ? drop("ack_no_egress") : respond(request, source, 503, "Service Unavailable (no " + transport + " listener)");
        }
        boolean recordRoute = config.recordRoute() && initial && DIALOG_CREATING.contains(method);
        String branch = branches.branch(request, loopHash);
        if (transport == SipTransport.UDP
                && out.size() + addedBytes(source, SipTransport.UDP, recordRoute, branch) > maxDatagram(destination)) {
            // RFC 3261 §18.1.1: a request that does not fit in a datagram goes over TCP when the next
            // hop takes TCP; else the sender hears 513 rather than nothing.
            InetSocketAddress tcpHop = tcpHops.get(destination.getAddress());
            if (tcpHop == null || local.forTransport(SipTransport.TCP) == null) {
                metrics.udpTooLarge(ack ? "ack_dropped" : "rejected_513");
                return ack ? drop("ack_too_large_for_udp") : respond(request, source, 513, "Message Too Large (for UDP to the next hop)");
            }
            metrics.udpTooLarge("tcp");
            transport = SipTransport.TCP;
            destination = tcpHop;
        }
        if (recordRoute) {
            for (String rr : recordRoutes(source, transport)) {
                out.addRecordRoute(rr);
            }
        }
        out.pushVia(viaPrefixes[transport.ordinal()] + branch);
        ProxyAction.Send forward = new ProxyAction.Send(transport, destination, out.build(), false);
        if (contact == null) {
            return forward;
        }
        return publishThenForward(contact, forward);
    }

    /**
     * Our Record-Route values for a request leaving by {@code egress}, in the order they are added:
     * RFC 5658 double Record-Route when it came in on another transport, so that each side of the
     * dialog reaches the proxy on its own.
     */
    private List<String> recordRoutes(InboundSource source, SipTransport egress) {
        LocalEndpoint ingressEndpoint = local.forTransport(source.transport());
        if (ingressEndpoint != null && !ingressEndpoint.equals(local.forTransport(egress))) {
            return List.of(recordRoutes[source.transport().ordinal()], recordRoutes[egress.ordinal()]);
        }
        return List.of(recordRoutes[egress.ordinal()]);
    }

    /** Bytes our Via and Record-Route lines add to a request leaving by {@code egress} ("Name: value" CRLF). */
    private int addedBytes(InboundSource source, SipTransport egress, boolean recordRoute, String branch) {
        int n = SipHeaderNames.VIA.length() + 4 + viaPrefixes[egress.ordinal()].length() + branch.length();
        if (recordRoute) {
            for (String rr : recordRoutes(source, egress)) {
                n += SipHeaderNames.RECORD_ROUTE.length() + 4 + rr.length();
            }
        }
        return n;
    }

    /** The largest UDP payload to this address: 65,535 less the IPv4 and UDP headers, or less the UDP header over IPv6. */
    private static int maxDatagram(InetSocketAddress destination) {
        return destination.getAddress() instanceof java.net.Inet6Address ? 65_527 : 65_507;
    }

    /**
     * The contact event must be durable before the call proceeds (so it survives this node dying
     * right after forwarding), but a slow or failed registry never holds a call longer than the
     * configured timeout: the call is forwarded either way and a failure is counted.
     */
    private ProxyAction publishThenForward(FraudContactCheck.Contact contact, ProxyAction.Send forward) {
        if (!longCalls.watch(contact.event())) {
            metrics.longCall("untracked");
        }
        return new ProxyAction.Deferred(contactEvents.publish(contact.event()).toCompletableFuture()
                .orTimeout(config.contactPublishTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .handle((ok, error) -> {
                    if (error != null) {
                        metrics.contactPublishFailure();
                    }
                    return forward;
                }));
    }

    /**
     * Tier 2 (分级预警): the BYE of an answered contact that lasted long enough. The BYE is forwarded at
     * once; the event is published alongside and a failure counted (the tier-1 event is already stored).
     */
    private void publishLongCall(ContactEvent event) {
        contactEvents.publish(event).whenComplete((ok, error) -> metrics.longCall(error == null ? "published" : "publish_failed"));
    }

    private Target target(SipMessage request, SipUri requestUri, boolean toProxy, String nextRoute,
                          boolean poppedOurs, boolean initial, boolean ack) {
        if (nextRoute != null) {
            NameAddress route = NameAddress.parse(nextRoute);
            SipUri uri = route == null ? null : SipUri.parse(route.uri());
            return uri == null || uri.host() == null ? Target.failed(400, "Bad Request (unusable Route)") : Target.of(uri);
        }
        if (poppedOurs || (!initial && !ack && !toProxy)) {
            return requestUri.host() == null || toProxy
                    ? Target.failed(404, "Not Found (in-dialog request to the proxy itself)")
                    : Target.of(requestUri);
        }
        PhoneNumber called = CallParties.called(request);
        Optional<NextHop> hop = router.route(called);
        if (hop.isEmpty()) {
            return Target.failed(404, "Not Found (no route for called number)");
        }
        NextHop h = hop.get();
        return new Target(h.transport(), ViaTarget.address(h.host(), h.port()), 0, null, called);
    }

    private boolean isOurRoute(String route) {
        NameAddress a = NameAddress.parse(route);
        SipUri uri = a == null ? null : SipUri.parse(a.uri());
        return uri != null && uri.host() != null && local.matches(uri.host(), uri.portOrDefault());
    }

    private static String recordRoute(LocalEndpoint endpoint) {
        return "<sip:" + endpoint.hostPort() + (endpoint.transport() == SipTransport.UDP ? "" : ";transport=tcp") + ";lr>";
    }

    private ProxyAction respond(SipMessage request, InboundSource source, int status, String reason) {
        metrics.localResponse(status);
        // Re-read the request with received/rport on its top Via: the response's Via must carry them.
        ParseResult reread = parser.parse(withReceivedOnly(request, source));
        SipMessage basis = reread.isSuccess() ? reread.message() : request;
        byte[] bytes = LocalResponses.forRequest(basis, status, reason);
        InetSocketAddress destination = source.transport() == SipTransport.UDP ? ViaTarget.destinationOf(basis.topVia()) : source.remote();
        return new ProxyAction.Send(source.transport(), destination == null ? source.remote() : destination, bytes, true);
    }

    private static byte[] withReceivedOnly(SipMessage request, InboundSource source) {
        Via top = request.topVia();
        String ip = source.remote().getAddress().getHostAddress();
        Integer rport = top.rport() != null || source.transport() == SipTransport.TCP ? source.remote().getPort() : null;
        String received = rport != null || !ip.equalsIgnoreCase(top.host()) ? ip : null;
        return received == null ? request.toByteArray()
                : SipMessageBuilder.from(request).setTopViaReceived(received, rport).build();
    }

    private ProxyAction drop(String reason) {
        metrics.dropped(reason);
        return new ProxyAction.Drop(reason);
    }

    /**
     * Where a request goes, or why it cannot go anywhere; {@code called} is the called number when
     * routing read it (so the fraud check does not read it again), else null.
     */
    private record Target(SipTransport transport, InetSocketAddress destination, int failureStatus, String failureReason,
                          PhoneNumber called) {
        static Target of(SipUri uri) {
            SipTransport t = "tcp".equals(uri.transport()) ? SipTransport.TCP : SipTransport.UDP;
            if (uri.transport() != null && !uri.transport().equals("tcp") && !uri.transport().equals("udp")) {
                return failed(502, "Bad Gateway (unsupported transport " + uri.transport() + ")");
            }
            InetSocketAddress a = ViaTarget.address(uri.host(), uri.portOrDefault());
            return a == null ? failed(502, "Bad Gateway (next hop is not an IP address)") : new Target(t, a, 0, null, null);
        }

        static Target failed(int status, String reason) {
            return new Target(null, null, status, reason, null);
        }
    }
}
