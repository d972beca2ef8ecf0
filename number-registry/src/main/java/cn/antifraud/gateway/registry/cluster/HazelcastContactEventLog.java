package cn.antifraud.gateway.registry.cluster;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.ContactEventLog;
import cn.antifraud.gateway.registry.PhoneNumber;
import com.hazelcast.map.IMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@link ContactEventLog} on the durable map {@value #MAP_NAME}, written through to the database and
 * backed up on another member, so an event survives the death of the node that saw the call.
 *
 * <ul>
 *   <li>Publish is an asynchronous entry processor that stores the event only if its id is new: the
 *       proxy derives the id from the Call-ID, so a retransmitted INVITE does not reset a lease.</li>
 *   <li>Claim finds claimable events (no lease, or a lapsed one) with a query, then takes each one
 *       with an entry processor that checks and sets the lease atomically on the partition owner, so
 *       two consumers never hold the same event.</li>
 *   <li>Acknowledge deletes the event (and its row).</li>
 * </ul>
 * Delivery is at-least-once: a consumer that dies holding a lease leaves its events to be claimed
 * again once the lease lapses.
 *
 * <p>Split brain (issue 13): a member without its quorum ({@link RegistryQuorum#mayDispatchWork()})
 * claims nothing, so an event is never worked by both halves of a split (the family would be told
 * twice) and a minority never acts on a registry it cannot confirm. Publishing stays open on every
 * member: an event seen on the minority is work to do, kept in the map and claimed after the heal.
 */
public final class HazelcastContactEventLog implements ContactEventLog {

    public static final String MAP_NAME = RegistryMember.DURABLE_PREFIX + "contact-events";

    private final IMap<String, LeasedContactEvent> events;
    private final RegistryQuorum quorum;
    private final Clock clock;

    public HazelcastContactEventLog(RegistryMember member, Clock clock) {
        requireNonNull(member, "member");
        this.clock = requireNonNull(clock, "clock");
        this.events = member.durableMap(MAP_NAME);
        this.quorum = member.quorum();
    }

    @Override
    public CompletionStage<Void> publish(ContactEvent event) {
        requireNonNull(event, "event");
        return events.submitToKey(event.id(), new ContactEventProcessors.PublishIfAbsent(event))
                .thenApply(stored -> null);
    }

    @Override
    public List<ContactEvent> claim(String consumer, int max, Duration lease) {
        requireNonNull(consumer, "consumer");
        requireNonNull(lease, "lease");
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive, got " + max);
        }
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive, got " + lease);
        }
        if (!quorum.mayDispatchWork()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Map.Entry<String, LeasedContactEvent>> candidates =
                new ArrayList<>(events.entrySet(new ContactEventProcessors.Claimable(now)));
        // Oldest first, so a backlog drains in the order calls were seen.
        candidates.sort(Comparator.comparing(e -> e.getValue().event().at()));
        List<ContactEvent> claimed = new ArrayList<>();
        for (Map.Entry<String, LeasedContactEvent> candidate : candidates) {
            if (claimed.size() == max || !quorum.mayDispatchWork()) {
                break; // the quorum may be lost while claiming: the rest stay for a member that has it
            }
            ContactEvent won = events.executeOnKey(candidate.getKey(),
                    new ContactEventProcessors.Claim(consumer, now, now.plus(lease)));
            if (won != null) {
                claimed.add(won);
            }
        }
        return claimed;
    }

    @Override
    public void acknowledge(String eventId) {
        requireNonNull(eventId, "eventId");
        events.delete(eventId);
    }

    /**
     * Events not yet acknowledged in which {@code number} is the subscriber or the fraud number, newest
     * first, at most {@code max}: what an operator looks at to see that a call was caught.
     */
    public List<LeasedContactEvent> pendingInvolving(PhoneNumber number, int max) {
        requireNonNull(number, "number");
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive, got " + max);
        }
        List<LeasedContactEvent> found = new ArrayList<>(events.values(new ContactEventProcessors.Involving(number.e164())));
        found.sort(Comparator.comparing((LeasedContactEvent e) -> e.event().at()).reversed());
        return found.size() > max ? List.copyOf(found.subList(0, max)) : List.copyOf(found);
    }

    /** Events held, claimed or not (for health and tests). */
    public int size() {
        return events.size();
    }
}
