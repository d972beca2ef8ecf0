package cn.antifraud.gateway.registry;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The SIP proxy's second hot-path question: is either party of this call a listed fraud number?
 * Answered from the near cache without blocking, like {@link CallerCardLookup}.
 */
public interface FraudNumberLookup {

    /**
     * The listing in force at {@code now}, or empty; from the near cache only, so a number this node
     * has not cached yet answers empty (and is fetched in the background).
     */
    Optional<FraudNumber> activeFraudNumber(PhoneNumber number, Instant now);

    /**
     * The complete answer without blocking: completed at once when this node holds the answer (a
     * cached listing or a cached miss), otherwise when the registry has answered. The default is for
     * lookups that always hold the answer locally.
     */
    default CompletionStage<Optional<FraudNumber>> activeFraudNumberEventually(PhoneNumber number, Instant now) {
        return CompletableFuture.completedFuture(activeFraudNumber(number, now));
    }
}
