package cn.antifraud.gateway.app.admin;

import cn.antifraud.gateway.app.auth.Permission;
import cn.antifraud.gateway.app.auth.Principal;
import cn.antifraud.gateway.app.auth.Role;
import cn.antifraud.gateway.app.auth.TokenAuthenticator;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may call a route: anybody (health, metrics, the public jCards) or the holder of a bearer token
 * (RFC 6750) whose role has a permission. The only place the API authenticates and authorises.
 */
final class Access {
    /** The caller of an open route; its handler never looks at it. */
    static final Principal ANONYMOUS = new Principal("anonymous", Role.READER);

    private final Optional<Permission> required;

    private Access(Optional<Permission> required) {
        this.required = required;
    }

    static Access open() {
        return new Access(Optional.empty());
    }

    static Access requires(Permission p) {
        return new Access(Optional.of(p));
    }

    /**
     * The caller, when allowed.
     *
     * @throws ApiException 401 without a valid token, 403 when its role lacks the permission
     */
    Principal admit(TokenAuthenticator tokens, String authorization) {
        if (required.isEmpty()) {
            return ANONYMOUS;
        }
        Principal who = tokens.authenticate(authorization).orElseThrow(() -> new ApiException(
                HttpResponseStatus.UNAUTHORIZED, authorization == null
                ? "Authorization: Bearer TOKEN is required" : "the token is not valid", "Authorization"));
        Permission p = required.get();
        if (!who.role().permits(p)) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "role " + who.role().code() + " may not do this ("
                    + p.name().toLowerCase(Locale.ROOT) + ")", null);
        }
        return who;
    }
}
