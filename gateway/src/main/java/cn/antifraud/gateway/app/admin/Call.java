package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.app.auth.Principal;
import cn.antifraud.gateway.registry.PhoneNumber;
import java.io.InputStream;
import java.util.Map;

/**
 * One admitted request as a route's handler sees it: the request, the authenticated caller, the
 * path variables and, for streamed routes, the body as a stream.
 *
 * @param request the request (its {@code body} is empty for streamed routes)
 * @param caller  who called ({@link Access#ANONYMOUS} on open routes)
 * @param path    the route's path variables, still as text
 * @param stream  the streamed body; an empty stream for routes whose body is aggregated
 */
record Call(ApiRequest request, Principal caller, Map<String, String> path, InputStream stream) {
    Call {
        requireNonNull(request, "request");
        requireNonNull(caller, "caller");
        path = Map.copyOf(path);
        requireNonNull(stream, "stream");
    }

    /** A path variable as a phone number; a bad one is a 400 naming the variable. */
    PhoneNumber number(String variable) {
        return JsonBody.parseNumber(variable, text(variable));
    }

    /** A path variable as text. */
    String text(String variable) {
        String v = path.get(variable);
        if (v == null) {
            throw new IllegalStateException("the route has no path variable {" + variable + "}");
        }
        return v;
    }
}
