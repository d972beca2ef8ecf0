package cn.antifraud.gateway.sip.support;

import cn.antifraud.gateway.registry.CallerCardLookup;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Warning numbers held in a map; the real near-cached Hazelcast lookup is tested in number-registry. */
public final class InMemoryCallerCards implements CallerCardLookup {
    private final Map<PhoneNumber, WarningNumber> cards = new ConcurrentHashMap<>();

    public InMemoryCallerCards put(WarningNumber card) {
        cards.put(card.number(), card);
        return this;
    }

    @Override
    public Optional<WarningNumber> brandableCard(PhoneNumber caller, Instant now) {
        return Optional.ofNullable(cards.get(caller)).filter(c -> c.brandableAt(now));
    }

    @Override
    public Optional<WarningNumber> registered(PhoneNumber number) {
        return Optional.ofNullable(cards.get(number));
    }
}
