package cn.antifraud.gateway.sip.proxy;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Allows one spoof log line per source address per interval, so a flood of spoofed calls cannot
 * flood the log. Bounded: when it tracks too many sources it forgets them all.
 */
final class SpoofLogLimiter {
    private static final int MAX_SOURCES = 10_000;

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Long> lastLogged = new ConcurrentHashMap<>();

    SpoofLogLimiter(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /** True when a line may be logged for {@code source} now. */
    boolean tryAcquire(String source) {
        long now = nanoTime.getAsLong();
        if (lastLogged.size() > MAX_SOURCES) {
            lastLogged.clear();
        }
        boolean[] allowed = {false};
        lastLogged.compute(source, (k, last) -> {
            if (last == null || now - last >= intervalNanos) {
                allowed[0] = true;
                return now;
            }
            return last;
        });
        return allowed[0];
    }
}
