package cn.antifraud.gateway.app.auth;

import static java.util.Objects.requireNonNull;

import java.util.HexFormat;

/**
 * A configured API token: its name, its role and the SHA-256 of the token (never the token itself,
 * so the config file does not hold a usable secret).
 */
public final class TokenEntry {
    private final String name;
    private final Role role;
    private final byte[] sha256;

    public TokenEntry(String name, Role role, byte[] sha256) {
        this.name = requireNonNull(name, "name");
        this.role = requireNonNull(role, "role");
        requireNonNull(sha256, "sha256");
        if (sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 hash has 32 bytes, got " + sha256.length);
        }
        this.sha256 = sha256.clone();
    }

    /**
     * From the hex form in the config ({@code echo -n TOKEN | sha256sum}).
     *
     * @throws IllegalArgumentException when the hash is not 64 hex digits
     */
    public static TokenEntry fromHex(String name, Role role, String hex) {
        String h = requireNonNull(hex, "hex").trim();
        if (h.length() != 64) {
            throw new IllegalArgumentException("must be 64 hex digits (sha256sum of the token), got " + h.length() + " characters");
        }
        try {
            return new TokenEntry(name, role, HexFormat.of().parseHex(h));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be 64 hex digits (sha256sum of the token)");
        }
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    byte[] sha256() {
        return sha256;
    }

    @Override
    public String toString() {
        return "TokenEntry{name=" + name + ", role=" + role.code() + "}";
    }
}
