package cn.antifraud.gateway.smpp;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@code GET /v1/warnings/{id}} shows: the warning and each of its jobs as it stands now.
 *
 * @param warning the stored warning
 * @param jobs    its jobs, in creation order
 */
public record WarningStatus(WarningRecord warning, List<SmsJob> jobs) {

    public WarningStatus {
        requireNonNull(warning, "warning");
        jobs = List.copyOf(jobs);
    }
}
