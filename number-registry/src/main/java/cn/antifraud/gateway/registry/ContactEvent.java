package cn.antifraud.gateway.registry;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A call between a subscriber and a listed fraud number, seen by the SIP proxy. Written into the
 * registry cluster's durable {@link ContactEventLog}; the SMPP side turns it into warnings.
 *
 * @param id         unique id (the proxy derives it from Call-ID so a retransmission is one event)
 * @param subscriber the protected party
 * @param fraudNumber the listed number
 * @param direction  whether the fraud number called the subscriber or the reverse
 * @param callId     SIP Call-ID of the INVITE
 * @param at         when the INVITE was seen
 * @param ingress    name of the ingress peer the INVITE came from
 * @param fraudType  the fraud number's type, copied so consumers need no second lookup
 * @param tier       1 for any contact (the INVITE); 2 for an answered call that lasted at least the
 *                   configured time ({@code warnings.tier2-min-duration}, DESIGN.md 分级预警), published
 *                   when its BYE passes the proxy. 0 (an event stored before tiers existed) reads as 1.
 */
public record ContactEvent(
        String id,
        PhoneNumber subscriber,
        PhoneNumber fraudNumber,
        Direction direction,
        String callId,
        Instant at,
        String ingress,
        FraudType fraudType,
        int tier) implements Serializable {

    /** Who called whom. */
    public enum Direction { FRAUD_TO_SUBSCRIBER, SUBSCRIBER_TO_FRAUD }

    public ContactEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(fraudNumber, "fraudNumber");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(at, "at");
        at = StoredInstants.micros(at);
        Objects.requireNonNull(ingress, "ingress");
        Objects.requireNonNull(fraudType, "fraudType");
        if (tier == 0) {
            tier = 1;
        }
        if (tier != 1 && tier != 2) {
            throw new IllegalArgumentException("tier must be 1 or 2, got " + tier);
        }
    }

    /** A tier-1 contact: the INVITE itself. */
    public ContactEvent(String id, PhoneNumber subscriber, PhoneNumber fraudNumber, Direction direction, String callId,
                        Instant at, String ingress, FraudType fraudType) {
        this(id, subscriber, fraudNumber, direction, callId, at, ingress, fraudType, 1);
    }

    /**
     * The tier-2 event of this contact: the same parties and call, seen again at {@code endedAt} after
     * an answered call of at least the tier-2 duration. Its id differs, so both events are kept.
     */
    public ContactEvent longCall(Instant endedAt) {
        return new ContactEvent(id + ":tier2", subscriber, fraudNumber, direction, callId, endedAt, ingress, fraudType, 2);
    }
}
