package cn.antifraud.gateway.registry;

import java.time.Instant;
import java.util.Optional;

/**
 * The SIP proxy's second hot-path question: is either party of this call a listed fraud number?
 * Answered from the near cache without blocking, like {@link CallerCardLookup}.
 */
public interface FraudNumberLookup {

    /** The listing in force at {@code now}, or empty. */
    Optional<FraudNumber> activeFraudNumber(PhoneNumber number, Instant now);
}
