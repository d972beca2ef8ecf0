package cn.antifraud.gateway.smpp;

import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.ContactEventLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The ContactEventLog contract (claim under a lease, acknowledge) in memory. The registry's cluster-backed
 * implementation lives on branch wip/registry; until it lands, this is what the consumer is tested against.
 */
final class InMemoryContactEventLog implements ContactEventLog {
    private final Map<String, ContactEvent> events = new LinkedHashMap<>();
    private final Map<String, Instant> leasedUntil = new LinkedHashMap<>();

    @Override
    public synchronized CompletionStage<Void> publish(ContactEvent event) {
        events.putIfAbsent(event.id(), event);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized List<ContactEvent> claim(String consumer, int max, Duration lease) {
        Instant now = Instant.now();
        List<ContactEvent> out = new ArrayList<>();
        for (ContactEvent e : events.values()) {
            if (out.size() == max) {
                break;
            }
            Instant until = leasedUntil.get(e.id());
            if (until == null || until.isBefore(now)) {
                leasedUntil.put(e.id(), now.plus(lease));
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public synchronized void acknowledge(String eventId) {
        events.remove(eventId);
        leasedUntil.remove(eventId);
    }

    synchronized int pending() {
        return events.size();
    }
}
