package cn.antifraud.gateway.registry;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A contact event still waiting for its warning.
 *
 * @param event     the event
 * @param claimedBy the SMPP consumer whose lease on it is still running; empty when any consumer may claim it
 */
public record PendingContactEvent(ContactEvent event, Optional<String> claimedBy) {
    public PendingContactEvent {
        requireNonNull(event, "event");
        requireNonNull(claimedBy, "claimedBy");
    }
}
