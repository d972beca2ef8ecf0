package cn.antifraud.gateway.app.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer TOKEN} (RFC 6750 §2.1) against the configured SHA-256 hashes.
 * The presented token is hashed once and compared with every entry by
 * {@link MessageDigest#isEqual}, which takes the same time whatever bytes differ, and the loop does
 * not stop at a match: the answer's timing says nothing about the token.
 */
public final class TokenAuthenticator {
    /** Environment variable whose value becomes a bootstrap admin token named {@value #BOOTSTRAP_NAME}. */
    public static final String BOOTSTRAP_ENV = "GATEWAY_ADMIN_TOKEN";
    public static final String BOOTSTRAP_NAME = "bootstrap-admin";

    private static final String BEARER = "Bearer ";

    private final List<TokenEntry> entries;

    public TokenAuthenticator(List<TokenEntry> entries) {
        this.entries = List.copyOf(requireNonNull(entries, "entries"));
    }

    /** The configured tokens plus, when {@code bootstrapToken} is non-empty, a bootstrap admin. */
    public static TokenAuthenticator withBootstrap(List<TokenEntry> configured, String bootstrapToken) {
        List<TokenEntry> all = new ArrayList<>(configured);
        if (bootstrapToken != null && !bootstrapToken.isBlank()) {
            all.add(new TokenEntry(BOOTSTRAP_NAME, Role.ADMIN, sha256(bootstrapToken.trim())));
        }
        return new TokenAuthenticator(all);
    }

    /** How many tokens can authenticate (for the startup log; zero means the /v1 API is closed). */
    public int size() {
        return entries.size();
    }

    /**
     * The principal of an {@code Authorization} header value, or empty when it is missing, not a
     * bearer token, or unknown.
     */
    public Optional<Principal> authenticate(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).trim());
        TokenEntry match = null;
        for (TokenEntry e : entries) {
            if (MessageDigest.isEqual(presented, e.sha256()) && match == null) {
                match = e;
            }
        }
        return match == null ? Optional.empty() : Optional.of(new Principal(match.name(), match.role()));
    }

    /** SHA-256 of the token's UTF-8 bytes, as {@code echo -n TOKEN | sha256sum} prints it. */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
