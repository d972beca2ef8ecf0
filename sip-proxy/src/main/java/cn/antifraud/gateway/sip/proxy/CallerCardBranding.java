package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.registry.CallerCardLookup;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.sip.TrustedPeer;
import cn.antifraud.gateway.sip.identity.IdentityHeader;
import cn.antifraud.gateway.sip.identity.IdentitySigner;
import cn.antifraud.gateway.sip.message.QuotedString;
import cn.antifraud.gateway.sip.message.SipMessage;
import cn.antifraud.gateway.sip.message.SipMessageBuilder;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Inserts the 反诈名片 into an INVITE from a trusted peer: the asserted caller (P-Asserted-Identity,
 * or From when the peer asserts it) is looked up; when the registry says its card may be shown now,
 * the From and P-Asserted-Identity display names become the card name, any Rich Call Data the INVITE
 * carried is removed, and one RFC 9796 §4 Call-Info is added:
 * {@code <BASE+8612381>;purpose=jcard;call-reason="..."}. With a signer, the card is also signed: an
 * RFC 8224 Identity with an RFC 9795 rcd PASSporT ({@link IdentitySigner}).
 */
final class CallerCardBranding {
    private final CallerCardLookup cards;
    private final URI cardUrlBase;
    /** Signs each card added (RFC 8224 Identity, RFC 9795 rcd PASSporT); null when signing is off. */
    private final IdentitySigner signer;

    CallerCardBranding(CallerCardLookup cards, URI cardUrlBase, IdentitySigner signer) {
        this.cards = cards;
        this.cardUrlBase = cardUrlBase;
        this.signer = signer;
    }

    /**
     * Brands {@code out} when {@code caller}, the INVITE's {@link #assertedCaller} (read once by the
     * caller of this method, which needs it again for the fraud check), has a card now; returns the card used.
     */
    Optional<WarningNumber> apply(PhoneNumber caller, PhoneNumber called, SipMessageBuilder out, Instant now) {
        if (caller == null) {
            return Optional.empty();
        }
        Optional<WarningNumber> card = cards.brandableCard(caller, now);
        card.ifPresent(c -> {
            out.setFromDisplayName(c.cardName())
                    .setPAssertedIdentityDisplayName(c.cardName())
                    .removeRichCallDataCallInfo()
                    .addCallInfo(callInfo(c));
            if (signer != null && called != null) {
                sign(c, caller, called, out, now);
            }
        });
        return card;
    }

    /**
     * Adds our Identity; an upstream rcd PASSporT is removed first, since it signs a card this call no
     * longer shows. Identity fields of other types (e.g. SHAKEN) stay.
     */
    private void sign(WarningNumber c, PhoneNumber caller, PhoneNumber called, SipMessageBuilder out, Instant now) {
        String identity = signer.identityOrNull(c, caller, called, cardUrl(c), now);
        if (identity != null) {
            out.removeIdentities(CallerCardBranding::isRcdIdentity).addIdentity(identity);
        }
    }

    private static boolean isRcdIdentity(String value) {
        IdentityHeader h = IdentityHeader.parse(value);
        return h != null && "rcd".equals(h.ppt());
    }

    private String cardUrl(WarningNumber card) {
        return cardUrlBase + card.number().e164();
    }

    static PhoneNumber assertedCaller(SipMessage invite, TrustedPeer peer) {
        List<PhoneNumber> asserted = CallParties.assertedIdentities(invite);
        if (!asserted.isEmpty()) {
            return asserted.get(0);
        }
        return peer.assertsIdentity() ? CallParties.from(invite) : null;
    }

    /** The RFC 9796 Call-Info value for a card. */
    String callInfo(WarningNumber card) {
        return "<" + cardUrl(card) + ">;purpose=jcard;call-reason=\""
                + QuotedString.escape(card.callReason()) + "\"";
    }
}
