package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.registry.ContactEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tier 2 of the tiered warning (分级预警, DESIGN.md): a contact with a fraud number that was answered
 * and lasted at least {@code warnings.tier2-min-duration}. The proxy is stateless for SIP (RFC 3261
 * §16.11) but keeps this small per-node table for the calls that raised a contact event only: the
 * Call-ID when the INVITE was forwarded, the time its 2xx passed (RFC 3261 §13.2.2.4, the call is
 * answered), and, when a BYE for that Call-ID passes (which it does: the proxy Record-Routes, §16.6
 * step 4), the answered duration. A non-2xx final response forgets the call.
 *
 * <p>What a node does not see it cannot measure: a BYE that reaches another node of the cluster, or a
 * node restart in the middle of the call, loses tier 2 for that call (tier 1 was already published).
 * The table is bounded; calls older than {@link #MAX_CALL} are dropped when it fills (one scan per
 * {@link #PURGE_EVERY} at most, so a flood of contacts into a full table does not scan it per INVITE).
 */
final class LongCallWatch {
    /** Most calls watched at once per node; contacts beyond it get tier 1 only (counted by the caller). */
    static final int MAX_CALLS = 100_000;
    /** A call watched for longer than this is assumed to have ended without a BYE we saw. */
    static final Duration MAX_CALL = Duration.ofHours(12);

    private final Duration minDuration;
    private final ConcurrentHashMap<String, Watched> calls = new ConcurrentHashMap<>();
    /** When the full table was last scanned for stale calls; at most one scan per {@link #PURGE_EVERY}. */
    private volatile Instant lastPurge = Instant.MIN;
    /** A full table is scanned at most this often: the scan walks every entry, on the event loop. */
    static final Duration PURGE_EVERY = Duration.ofMinutes(1);

    private static final class Watched {
        final ContactEvent event;
        volatile Instant answeredAt;

        Watched(ContactEvent event) {
            this.event = event;
        }
    }

    LongCallWatch(Duration minDuration) {
        this.minDuration = minDuration;
    }

    /** Starts watching the call of a published tier-1 contact; false when the table is full. */
    boolean watch(ContactEvent contact) {
        if (calls.size() >= MAX_CALLS) {
            Instant now = contact.at();
            if (now.isBefore(lastPurge.plus(PURGE_EVERY))) {
                return false;
            }
            lastPurge = now;
            Instant stale = now.minus(MAX_CALL);
            calls.values().removeIf(w -> w.event.at().isBefore(stale));
            if (calls.size() >= MAX_CALLS) {
                return false;
            }
        }
        calls.putIfAbsent(contact.callId(), new Watched(contact));
        return true;
    }

    /** A final response to an INVITE passed: 2xx marks the call answered (the first one counts), others end it. */
    void finalResponseToInvite(String callId, int status, Instant at) {
        Watched w = calls.get(callId);
        if (w == null) {
            return;
        }
        if (status >= 200 && status < 300) {
            if (w.answeredAt == null) {
                w.answeredAt = at;
            }
        } else if (status >= 300 && w.answeredAt == null) {
            calls.remove(callId, w);
        }
    }

    /** A CANCEL passed: an unanswered call ends there. */
    void cancelled(String callId) {
        Watched w = calls.get(callId);
        if (w != null && w.answeredAt == null) {
            calls.remove(callId, w);
        }
    }

    /**
     * A BYE passed: the call ends. Returns its tier-2 event when it was answered at least the minimum
     * duration before {@code at}.
     */
    Optional<ContactEvent> ended(String callId, Instant at) {
        Watched w = calls.remove(callId);
        if (w == null || w.answeredAt == null) {
            return Optional.empty();
        }
        Duration answered = Duration.between(w.answeredAt, at);
        return answered.compareTo(minDuration) >= 0 ? Optional.of(w.event.longCall(at)) : Optional.empty();
    }

    int size() {
        return calls.size();
    }
}
