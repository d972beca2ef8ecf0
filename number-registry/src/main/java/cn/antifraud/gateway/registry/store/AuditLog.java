package cn.antifraud.gateway.registry.store;

import cn.antifraud.gateway.registry.AuditRecord;
import cn.antifraud.gateway.registry.Page;

/**
 * Append-only, durable record of every authorised change. Appends are synchronous (JDBC) and must
 * be called off event loops.
 */
public interface AuditLog {

    /** Appends and returns the stored record with its id. {@code before}/{@code after} are JSON or null. */
    AuditRecord append(String actor, String action, String entity, String key, String before, String after);

    /** Records after {@code afterId}, oldest first. */
    Page<AuditRecord> page(long afterId, int limit);
}
