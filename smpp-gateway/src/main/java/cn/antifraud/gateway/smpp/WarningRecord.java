package cn.antifraud.gateway.smpp;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * A warning as stored in {@code durable.sms-warnings}: the request and the jobs it became.
 *
 * @param id         warning id, as returned by {@code POST /v1/warnings}
 * @param request    what was asked
 * @param createdAt  when
 * @param jobIds     its SMS jobs; empty when it was a duplicate
 * @param duplicateOf the earlier warning within the dedup window this one repeats, or "" when none
 */
public record WarningRecord(String id, WarningRequest request, Instant createdAt, List<String> jobIds, String duplicateOf)
        implements Serializable {

    public WarningRecord {
        requireNonNull(id, "id");
        requireNonNull(request, "request");
        requireNonNull(createdAt, "createdAt");
        jobIds = List.copyOf(jobIds);
        requireNonNull(duplicateOf, "duplicateOf");
    }
}
