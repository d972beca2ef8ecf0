package cn.antifraud.gateway.sip.support;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudNumberLookup;
import cn.antifraud.gateway.registry.PhoneNumber;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fraud numbers held in a map. A number put {@link #putUncached uncached} behaves like one the node's
 * near cache has never seen: the synchronous lookup answers empty and the eventual one completes only
 * when the test calls {@link #answerPendingLookups}, as the partition owner would.
 */
public final class InMemoryFraudNumbers implements FraudNumberLookup {
    private final Map<PhoneNumber, FraudNumber> numbers = new ConcurrentHashMap<>();
    private final Map<PhoneNumber, FraudNumber> uncached = new ConcurrentHashMap<>();
    private final List<Runnable> pending = new CopyOnWriteArrayList<>();

    public InMemoryFraudNumbers put(FraudNumber number) {
        numbers.put(number.number(), number);
        return this;
    }

    public InMemoryFraudNumbers putUncached(FraudNumber number) {
        uncached.put(number.number(), number);
        return this;
    }

    @Override
    public Optional<FraudNumber> activeFraudNumber(PhoneNumber number, Instant now) {
        return Optional.ofNullable(numbers.get(number)).filter(f -> f.activeAt(now));
    }

    @Override
    public CompletionStage<Optional<FraudNumber>> activeFraudNumberEventually(PhoneNumber number, Instant now) {
        FraudNumber cold = uncached.get(number);
        if (cold == null) {
            return CompletableFuture.completedFuture(activeFraudNumber(number, now));
        }
        CompletableFuture<Optional<FraudNumber>> answer = new CompletableFuture<>();
        pending.add(() -> answer.complete(Optional.of(cold).filter(f -> f.activeAt(now))));
        return answer;
    }

    /** Completes every eventual lookup still waiting, in order; returns how many there were. */
    public int answerPendingLookups() {
        List<Runnable> now = List.copyOf(pending);
        pending.removeAll(now);
        now.forEach(Runnable::run);
        return now.size();
    }
}
