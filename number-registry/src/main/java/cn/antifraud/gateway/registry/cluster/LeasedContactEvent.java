package cn.antifraud.gateway.registry.cluster;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.ContactEvent;
import java.time.Instant;

/**
 * A contact event as held in the durable map {@code durable.contact-events}, with the lease of the
 * consumer working it. An event is claimable when it has no lease or its lease has lapsed.
 *
 * @param event      the event
 * @param leasedBy   the consumer holding the lease; null when unclaimed
 * @param leaseUntil when the lease lapses; null when unclaimed
 */
public record LeasedContactEvent(ContactEvent event, String leasedBy, Instant leaseUntil) {

    public LeasedContactEvent {
        requireNonNull(event, "event");
    }

    /** An event nobody works yet. */
    public static LeasedContactEvent unclaimed(ContactEvent event) {
        return new LeasedContactEvent(event, null, null);
    }

    /** True when a consumer may claim it at {@code now}. */
    public boolean claimableAt(Instant now) {
        return leaseUntil == null || !now.isBefore(leaseUntil);
    }
}
