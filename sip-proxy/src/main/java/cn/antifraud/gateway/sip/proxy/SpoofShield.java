package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.registry.CallerCardLookup;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.sip.message.SipMessage;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports number spoofing: an untrusted INVITE whose From or P-Asserted-Identity claims a registered
 * warning number (whatever the registration's state: a revoked police number is still a police
 * number). What an untrusted request may not carry is stripped by the proxy itself, and
 * {@link DisplayNameShield} guards the display names.
 */
final class SpoofShield {
    private static final Logger LOG = LoggerFactory.getLogger(SpoofShield.class);

    private final CallerCardLookup cards;
    private final SpoofLogLimiter logLimiter;

    SpoofShield(CallerCardLookup cards, SpoofLogLimiter logLimiter) {
        this.cards = cards;
        this.logLimiter = logLimiter;
    }

    /** True when the request claims a registered warning number; logs at most once per source and interval. */
    boolean claimsWarningNumber(SipMessage invite, InboundSource source, String ingress) {
        List<PhoneNumber> claimed = new ArrayList<>(CallParties.assertedIdentities(invite));
        PhoneNumber from = CallParties.from(invite);
        if (from != null) {
            claimed.add(from);
        }
        for (PhoneNumber n : claimed) {
            if (cards.registered(n).isPresent()) {
                String sourceIp = source.remote().getAddress().getHostAddress();
                if (logLimiter.tryAcquire(sourceIp)) {
                    LOG.warn("spoofed warning number {} from untrusted source {} (ingress {}), Call-ID {}; "
                            + "further spoofs from this source are counted, not logged, for the interval",
                            n, sourceIp, ingress, invite.callId());
                }
                return true;
            }
        }
        return false;
    }
}
