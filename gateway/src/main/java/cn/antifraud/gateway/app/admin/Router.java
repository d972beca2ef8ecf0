package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Finds the route of a method and decoded path in the table: 404 when no pattern matches the path,
 * 405 with {@code Allow} (RFC 9110 §15.5.6) when patterns match but none for this method.
 * Cheap (string compares), so it runs on the event loop and an unknown path never waits for a pool.
 */
final class Router {
    private final List<Route> routes;

    Router(List<Route> routes) {
        this.routes = List.copyOf(requireNonNull(routes, "routes"));
        for (int i = 0; i < this.routes.size(); i++) {
            for (int j = i + 1; j < this.routes.size(); j++) {
                Route a = this.routes.get(i);
                Route b = this.routes.get(j);
                if (a.method().equals(b.method()) && a.path().toString().equals(b.path().toString())) {
                    throw new IllegalArgumentException("route " + a.method() + " " + a.path() + " is in the table twice");
                }
            }
        }
    }

    /** A route with the path variables it matched. */
    record Match(Route route, Map<String, String> variables) {
    }

    /** @throws ApiException 404 or 405 */
    Match resolve(HttpMethod method, String path) {
        TreeSet<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Optional<Map<String, String>> vars = r.path().match(path);
            if (vars.isEmpty()) {
                continue;
            }
            if (r.method().equals(method)) {
                return new Match(r, vars.get());
            }
            allowed.add(r.method().name());
        }
        if (allowed.isEmpty()) {
            throw ApiException.notFound("no such resource: " + abbreviate(path));
        }
        String allow = String.join(", ", allowed);
        throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed; allowed: " + allow, null,
                Map.of("Allow", allow));
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
