package cn.antifraud.gateway.registry.cluster;

import cn.antifraud.gateway.registry.ContactEvent;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.query.Predicate;
import java.time.Instant;
import java.util.Map;

/**
 * The entry processors and query of {@link HazelcastContactEventLog}. They run on the partition owner
 * (and, for processors, again on the backup with the same fields, so both copies agree), hence
 * Serializable and free of clocks: the caller fixes the times.
 */
final class ContactEventProcessors {

    private ContactEventProcessors() {
    }

    /** Stores the event unless its id is already held; answers whether it stored it. */
    static final class PublishIfAbsent implements EntryProcessor<String, LeasedContactEvent, Boolean> {
        private static final long serialVersionUID = 1L;
        private final ContactEvent event;

        PublishIfAbsent(ContactEvent event) {
            this.event = event;
        }

        @Override
        public Boolean process(Map.Entry<String, LeasedContactEvent> entry) {
            if (entry.getValue() != null) {
                return Boolean.FALSE;
            }
            entry.setValue(LeasedContactEvent.unclaimed(event));
            return Boolean.TRUE;
        }
    }

    /** Takes the lease if the event is claimable at {@code now}; answers the event, or null if taken. */
    static final class Claim implements EntryProcessor<String, LeasedContactEvent, ContactEvent> {
        private static final long serialVersionUID = 1L;
        private final String consumer;
        private final Instant now;
        private final Instant leaseUntil;

        Claim(String consumer, Instant now, Instant leaseUntil) {
            this.consumer = consumer;
            this.now = now;
            this.leaseUntil = leaseUntil;
        }

        @Override
        public ContactEvent process(Map.Entry<String, LeasedContactEvent> entry) {
            LeasedContactEvent current = entry.getValue();
            if (current == null || !current.claimableAt(now)) {
                return null;
            }
            entry.setValue(new LeasedContactEvent(current.event(), consumer, leaseUntil));
            return current.event();
        }
    }

    /** Events without a lease in force at {@code now}. */
    static final class Claimable implements Predicate<String, LeasedContactEvent> {
        private static final long serialVersionUID = 1L;
        private final Instant now;

        Claimable(Instant now) {
            this.now = now;
        }

        @Override
        public boolean apply(Map.Entry<String, LeasedContactEvent> entry) {
            return entry.getValue() != null && entry.getValue().claimableAt(now);
        }
    }

    /** Events in which {@code e164} is the subscriber or the fraud number. */
    static final class Involving implements Predicate<String, LeasedContactEvent> {
        private static final long serialVersionUID = 1L;
        private final String e164;

        Involving(String e164) {
            this.e164 = e164;
        }

        @Override
        public boolean apply(Map.Entry<String, LeasedContactEvent> entry) {
            LeasedContactEvent v = entry.getValue();
            return v != null && (v.event().subscriber().e164().equals(e164) || v.event().fraudNumber().e164().equals(e164));
        }
    }
}
