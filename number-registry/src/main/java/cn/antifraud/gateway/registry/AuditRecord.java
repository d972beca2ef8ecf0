package cn.antifraud.gateway.registry;

import java.time.Instant;

/**
 * One authorised change to the registry, kept durably: who, when, what, and the record before and
 * after (as JSON, null for none).
 *
 * @param id     monotonically increasing id
 * @param at     when the change was made
 * @param actor  the token's name, or "config:FILE" for config loads
 * @param action e.g. PUT, REVOKE, DELETE, IMPORT
 * @param entity warning-number, fraud-number or family-contacts
 * @param key    the canonical number
 * @param before JSON of the record before, or null
 * @param after  JSON of the record after, or null
 */
public record AuditRecord(long id, Instant at, String actor, String action, String entity, String key,
                          String before, String after) {
}
