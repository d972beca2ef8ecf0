/**
 * The gateway's SIP proxy: {@link cn.antifraud.gateway.sip.SipProxy}, configured by an immutable
 * {@link cn.antifraud.gateway.sip.SipProxyConfig}.
 *
 * <h2>Messages over their original bytes</h2>
 * Like pkts.io, a message wraps the bytes it arrived in ({@code message} package). Framing parses
 * only what routing needs: the request or status line, the top Via, Max-Forwards, Route,
 * Record-Route, From, To, Call-ID, CSeq, Contact, Content-Length, P-Asserted-Identity and Call-Info
 * (compact forms {@code v f t i m l} included). Every other header is a slice that leaves byte for
 * byte, so percent-escapes, {@code data:} and {@code cid:} URIs, unknown headers, folded lines and
 * UTF-8 display names pass untouched. Edits go through a builder whose methods say what a proxy does:
 * {@code pushVia}, {@code popVia}, {@code decrementMaxForwards}, {@code addRecordRoute},
 * {@code popRoute}, {@code setFromDisplayName}, {@code removeRichCallDataCallInfo},
 * {@code addCallInfo}, {@code removePAssertedIdentity}. Only the lines an edit touches are rewritten.
 *
 * <h2>Why stateless</h2>
 * The proxy is stateless (RFC 3261 §16.11): it keeps no transaction between a request and its
 * responses. Branding, the spoof shield and fraud detection are decisions on one INVITE, and the
 * proxy never forks, recurses on 3xx or needs to generate CANCELs, which are the reasons a proxy
 * must hold transactions (§16.1). Without transactions there is no per-call memory to size, no
 * timers, no state to lose or replicate when a node dies, and a retransmission is simply forwarded
 * again, consistently: the branch of the Via the proxy adds is computed from the request alone (a
 * hash of the incoming top Via branch and sent-by), so a retransmission, the CANCEL of an INVITE and
 * the ACK of a non-2xx answer carry the same branch as the INVITE, as §16.11 requires. Retransmission
 * timers stay with the end points, where RFC 3261 puts them. The cost is that the proxy cannot answer
 * 100 Trying itself or absorb retransmissions; those are the end points' job.
 *
 * <h2>Behaviour</h2>
 * Max-Forwards is decremented (483 at zero) and loops detected by a routing hash in the branch (482,
 * §16.3); the proxy's own Route entries are removed (loose routing, §16.4) and Record-Route added to
 * dialog-creating requests when configured (§16.6), so ACK, BYE, re-INVITE, UPDATE and INFO pass the
 * proxy; responses follow their next Via, with received and rport honoured (RFC 3581). OPTIONS
 * addressed to the proxy is answered 200. An initial INVITE from a trusted peer whose asserted
 * caller is a verified warning number gets the card (display name and RFC 9796 Call-Info); from an
 * untrusted source P-Asserted-Identity is stripped and a claimed warning number is a spoof; every
 * INVITE the gateway did not brand loses its Rich Call Data (unless a
 * {@link cn.antifraud.gateway.sip.proxy.VerifiedCardCheck} vouches for it) and any From or
 * P-Asserted-Identity display name imitating a protected name
 * ({@link cn.antifraud.gateway.sip.proxy.ProtectedNames}); From, To and P-Asserted-Identity that are
 * not a name-addr or addr-spec with a sip, sips or tel URI get 400, never a rewrite; a request too
 * large for UDP after our Via goes over TCP or gets 513; an ACK is never answered. A call with a listed fraud number publishes a contact event or is rejected with 608
 * (RFC 8688). Nothing blocks an event loop or a UDP worker: outbound connections share the inbound
 * event loop, and the contact event is awaited by callback.
 */
package cn.antifraud.gateway.sip;
