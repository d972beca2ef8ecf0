package cn.antifraud.gateway.app.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Durations as operators write them: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 24h}, {@code 7d},
 * or ISO-8601 ({@code PT1M}).
 */
public final class Durations {
    private Durations() {
    }

    /** @throws IllegalArgumentException saying which forms are accepted */
    public static Duration parse(String s) {
        String t = s.trim();
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                return Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration: '" + s + "'");
            }
        }
        int unitStart = 0;
        while (unitStart < t.length() && Character.isDigit(t.charAt(unitStart))) {
            unitStart++;
        }
        if (unitStart == 0 || unitStart > 12) {
            throw new IllegalArgumentException("must be a duration like 500ms, 30s, 10m, 24h or 7d, got '" + s + "'");
        }
        long n = Long.parseLong(t.substring(0, unitStart));
        switch (t.substring(unitStart)) {
            case "ms":
                return Duration.ofMillis(n);
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            case "d":
                return Duration.ofDays(n);
            default:
                throw new IllegalArgumentException("must be a duration like 500ms, 30s, 10m, 24h or 7d, got '" + s + "'");
        }
    }
}
