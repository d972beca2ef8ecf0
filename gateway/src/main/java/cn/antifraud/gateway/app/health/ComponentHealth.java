package cn.antifraud.gateway.app.health;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One component's state for {@code GET /health}.
 *
 * @param up     whether it does its job now
 * @param detail one line for the operator ("3 members", "no bind is up: connection refused")
 * @param parts  per-part lines (one per SMPP bind, one per SIP listener); may be empty
 */
public record ComponentHealth(boolean up, String detail, List<String> parts) {
    public ComponentHealth {
        requireNonNull(detail, "detail");
        parts = List.copyOf(parts);
    }

    public static ComponentHealth up(String detail) {
        return new ComponentHealth(true, detail, List.of());
    }

    public static ComponentHealth down(String detail) {
        return new ComponentHealth(false, detail, List.of());
    }
}
