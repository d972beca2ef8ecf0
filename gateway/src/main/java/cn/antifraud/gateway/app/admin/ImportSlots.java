package cn.antifraud.gateway.app.admin;

import java.util.HashMap;
import java.util.Map;

/**
 * At most {@code perToken} streamed imports at once per token name, so one client (or a script
 * gone wrong) cannot take every import thread. Held from admission until the import is answered.
 */
final class ImportSlots {
    private final int perToken;
    private final Map<String, Integer> running = new HashMap<>();

    ImportSlots(int perToken) {
        if (perToken < 1) {
            throw new IllegalArgumentException("imports per token must be at least 1, got " + perToken);
        }
        this.perToken = perToken;
    }

    int perToken() {
        return perToken;
    }

    /** Takes a slot for {@code token}; false when it already runs {@code perToken} imports. */
    synchronized boolean tryAcquire(String token) {
        int n = running.getOrDefault(token, 0);
        if (n >= perToken) {
            return false;
        }
        running.put(token, n + 1);
        return true;
    }

    synchronized void release(String token) {
        running.computeIfPresent(token, (k, n) -> n <= 1 ? null : n - 1);
    }
}
