package cn.antifraud.gateway.registry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The durable hand-over from the SIP proxy to the SMPP gateway, held in the registry cluster and
 * written through to the database, so the node that saw a call need not hold the SMPP binds and an
 * event survives the death of either node.
 *
 * <p>Consumers {@link #claim claim} events under a lease and {@link #acknowledge acknowledge} them once
 * the warnings are durable jobs; an event whose lease lapses is claimable again (at-least-once).
 */
public interface ContactEventLog {

    /** Stores the event; completes once it is held by the cluster with its backup and in the database. Never blocks the caller. */
    CompletionStage<Void> publish(ContactEvent event);

    /** Claims up to {@code max} unacknowledged events not leased by another consumer. Blocking: call off event loops. */
    List<ContactEvent> claim(String consumer, int max, Duration lease);

    /** Removes an event for good. Blocking: call off event loops. */
    void acknowledge(String eventId);
}
