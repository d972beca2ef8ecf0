package cn.antifraud.gateway.registry;

import java.time.Instant;
import java.util.Optional;

/**
 * The SIP proxy's hot-path question: is this caller a verified warning number whose card may be
 * shown now? Implementations answer from a member-local near cache without blocking (misses are
 * cached too), so this may be called on a Netty event loop.
 */
public interface CallerCardLookup {

    /** The card to show, or empty when the number is unknown, revoked or outside its validity window. */
    Optional<WarningNumber> brandableCard(PhoneNumber caller, Instant now);

    /** The record whatever its state (revoked, expired), for spoof detection: was a registered number claimed? */
    Optional<WarningNumber> registered(PhoneNumber number);
}
