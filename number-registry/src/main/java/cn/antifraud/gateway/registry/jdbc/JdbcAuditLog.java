package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.AuditRecord;
import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.store.AuditLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log in table {@code audit_log}: insert-only (no code path updates or deletes a row),
 * ids from an identity column so they only grow, pages by id ("keyset" paging, stable while rows
 * are appended).
 */
final class JdbcAuditLog implements AuditLog {

    static final int MAX_PAGE = 1_000;
    private static final String INSERT = "INSERT INTO audit_log (at, actor, action, entity, entry_key, before_json, after_json)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String PAGE = "SELECT id, at, actor, action, entity, entry_key, before_json, after_json"
            + " FROM audit_log WHERE id > ? ORDER BY id LIMIT ?";

    private final StoreContext context;

    JdbcAuditLog(StoreContext context) {
        this.context = requireNonNull(context, "context");
    }

    @Override
    public AuditRecord append(String actor, String action, String entity, String key, String before, String after) {
        checkLength("actor", actor, 200);
        checkLength("action", action, 40);
        checkLength("entity", entity, 40);
        checkLength("key", key, 500);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (Connection c = context.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
            p.setObject(1, Jdbc.timestamp(at));
            p.setString(2, actor);
            p.setString(3, action);
            p.setString(4, entity);
            p.setString(5, key);
            p.setString(6, before);
            p.setString(7, after);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new IllegalStateException("the database returned no id for the audit record");
                }
                return new AuditRecord(keys.getLong(1), at, actor, action, entity, key, before, after);
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("appending to the audit log", e);
        }
    }

    @Override
    public Page<AuditRecord> page(long afterId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", got " + limit);
        }
        List<AuditRecord> items = new ArrayList<>(limit + 1);
        try (Connection c = context.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement(PAGE)) {
            p.setLong(1, afterId);
            p.setInt(2, limit + 1);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    items.add(new AuditRecord(rs.getLong(1), Jdbc.instant(rs, 2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("reading the audit log", e);
        }
        // One row more than asked tells whether another page exists without a COUNT.
        boolean more = items.size() > limit;
        if (more) {
            items.remove(limit);
        }
        String next = more ? Long.toString(items.get(limit - 1).id()) : null;
        return new Page<>(items, next);
    }

    private static void checkLength(String name, String value, int max) {
        requireNonNull(value, name);
        if (value.isBlank() || value.length() > max) {
            throw new IllegalArgumentException("audit " + name + " must be 1 to " + max + " characters, got "
                    + value.length());
        }
    }
}
