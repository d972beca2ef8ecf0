package cn.antifraud.gateway.app.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The tiered-warning policy (分级预警) of the product brief.
 *
 * @param dedupWindow      one warning per subscriber and tier within this window (default 24 h)
 * @param tier2MinDuration an answered contact at least this long is tier 2 (default 60 s)
 */
public record WarningSettings(Duration dedupWindow, Duration tier2MinDuration) {
    public WarningSettings {
        requireNonNull(dedupWindow, "dedupWindow");
        requireNonNull(tier2MinDuration, "tier2MinDuration");
    }
}
