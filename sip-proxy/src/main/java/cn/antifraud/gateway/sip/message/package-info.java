/**
 * SIP messages over their original bytes, in the manner of pkts.io: {@link
 * cn.antifraud.gateway.sip.message.SipMessageParser} frames a message and parses only what a proxy
 * routes by (start line, top Via, Max-Forwards, Route, Record-Route, From, To, Call-ID, CSeq,
 * Contact, Content-Length, P-Asserted-Identity, Call-Info; compact forms mapped per RFC 3261
 * §7.3.3). Every other header is a raw slice that leaves byte for byte. Edits go through {@link
 * cn.antifraud.gateway.sip.message.SipMessageBuilder}, whose methods are named for what a proxy does
 * ({@code pushVia}, {@code popRoute}, {@code decrementMaxForwards}, {@code removeRichCallDataCallInfo}).
 * Parse problems are values ({@link cn.antifraud.gateway.sip.message.ParseFailure}), never exceptions.
 */
package cn.antifraud.gateway.sip.message;
