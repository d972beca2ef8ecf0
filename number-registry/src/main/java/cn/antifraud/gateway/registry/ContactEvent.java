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
 */
public record ContactEvent(
        String id,
        PhoneNumber subscriber,
        PhoneNumber fraudNumber,
        Direction direction,
        String callId,
        Instant at,
        String ingress,
        FraudType fraudType) implements Serializable {

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
    }
}
