package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpMethod;

/**
 * One line of the admin API's route table: method, path pattern, who may call it, what body it
 * takes, which pool runs it, and the handler.
 *
 * @param method  the HTTP method
 * @param path    the path pattern
 * @param access  who may call it
 * @param body    the body it takes (checked against Content-Type before the handler runs)
 * @param pool    the pool that runs the handler
 * @param handler the handler
 */
record Route(HttpMethod method, PathPattern path, Access access, BodyType body, Pool pool, Handler handler) {

    Route {
        requireNonNull(method, "method");
        requireNonNull(path, "path");
        requireNonNull(access, "access");
        requireNonNull(body, "body");
        requireNonNull(pool, "pool");
        requireNonNull(handler, "handler");
    }

    static Route of(HttpMethod method, String path, Access access, BodyType body, Pool pool, Handler handler) {
        return new Route(method, PathPattern.of(path), access, body, pool, handler);
    }

    /** Answers one admitted call; may block (it runs on its route's pool) and may throw {@link ApiException}. */
    @FunctionalInterface
    interface Handler {
        ApiResponse handle(Call call);
    }
}
