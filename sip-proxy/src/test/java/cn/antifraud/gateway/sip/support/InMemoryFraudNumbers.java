package cn.antifraud.gateway.sip.support;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudNumberLookup;
import cn.antifraud.gateway.registry.PhoneNumber;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Fraud numbers held in a map. */
public final class InMemoryFraudNumbers implements FraudNumberLookup {
    private final Map<PhoneNumber, FraudNumber> numbers = new ConcurrentHashMap<>();

    public InMemoryFraudNumbers put(FraudNumber number) {
        numbers.put(number.number(), number);
        return this;
    }

    @Override
    public Optional<FraudNumber> activeFraudNumber(PhoneNumber number, Instant now) {
        return Optional.ofNullable(numbers.get(number)).filter(f -> f.activeAt(now));
    }
}
