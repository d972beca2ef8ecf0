package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.sip.message.SipMessage;

/**
 * Whether an INVITE the gateway did not brand carries Rich Call Data vouched for by a verified
 * signature: an RFC 8224 Identity header whose RFC 9795 {@code rcd} PASSporT verified for this call.
 * When it answers true, the INVITE keeps its Call-Info card (RFC 9796) and its From and
 * P-Asserted-Identity display names; otherwise the proxy strips the card and shields the names
 * (issue 10: cards only from us or from a verified signature).
 *
 * <p>Called on the event loop or a UDP worker for every INVITE that was not branded: it must not
 * block (verify against cached keys and certificates). The verifier is responsible for checking
 * that what it vouches for is what the INVITE shows (the PASSporT's {@code nam} against the display
 * names, {@code rcdi} against the Call-Info).
 */
@FunctionalInterface
public interface VerifiedCardCheck {

    /** The default: no signature is trusted, every card the gateway did not add is stripped. */
    VerifiedCardCheck NONE = (invite, from) -> false;

    /**
     * @param invite the INVITE as received
     * @param from   where it came from (the trusted peer is found by its address)
     * @return true only when the INVITE's card is covered by a verified signature
     */
    boolean cardVerified(SipMessage invite, InboundSource from);
}
