package cn.antifraud.gateway.app.auth;

import static java.util.Objects.requireNonNull;

/**
 * The caller a bearer token stands for. {@code name} is the audit log's actor.
 *
 * @param name the token's name from the config
 * @param role what it may do
 */
public record Principal(String name, Role role) {
    public Principal {
        requireNonNull(name, "name");
        requireNonNull(role, "role");
    }
}
