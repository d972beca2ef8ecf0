package cn.antifraud.gateway.sip.support;

import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.ContactEventLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Contact events kept by id (so a republished event is one event), optionally failing every publish. */
public final class InMemoryContactEventLog implements ContactEventLog {
    private final Map<String, ContactEvent> events = new LinkedHashMap<>();
    private volatile boolean failing;
    private int publishes;

    public void failing(boolean failing) {
        this.failing = failing;
    }

    @Override
    public synchronized CompletionStage<Void> publish(ContactEvent event) {
        publishes++;
        if (failing) {
            return CompletableFuture.failedFuture(new IllegalStateException("registry unavailable"));
        }
        events.put(event.id(), event);
        return CompletableFuture.completedFuture(null);
    }

    public synchronized List<ContactEvent> events() {
        return new ArrayList<>(events.values());
    }

    public synchronized int publishes() {
        return publishes;
    }

    @Override
    public synchronized List<ContactEvent> claim(String consumer, int max, Duration lease) {
        return events.values().stream().limit(max).toList();
    }

    @Override
    public synchronized void acknowledge(String eventId) {
        events.remove(eventId);
    }
}
