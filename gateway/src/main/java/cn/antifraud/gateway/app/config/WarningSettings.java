package cn.antifraud.gateway.app.config;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.smpp.MobilePrefixes;
import java.time.Duration;

/**
 * The tiered-warning policy (分级预警) of the product brief.
 *
 * @param dedupWindow      one warning per subscriber and tier within this window (default 24 h)
 * @param tier2MinDuration an answered contact at least this long is tier 2 (default 60 s)
 * @param mobilePrefixes   which subscribers may be warned by SMS (default 13 to 19, the numbering plan's mobile range)
 */
public record WarningSettings(Duration dedupWindow, Duration tier2MinDuration, MobilePrefixes mobilePrefixes) {
    public WarningSettings {
        requireNonNull(dedupWindow, "dedupWindow");
        requireNonNull(tier2MinDuration, "tier2MinDuration");
        requireNonNull(mobilePrefixes, "mobilePrefixes");
    }

    public WarningSettings(Duration dedupWindow, Duration tier2MinDuration) {
        this(dedupWindow, tier2MinDuration, MobilePrefixes.defaults());
    }
}
