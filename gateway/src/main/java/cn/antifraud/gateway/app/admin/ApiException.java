package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * An answer other than success, thrown by a resource and turned into
 * {@code {"error": "...", "field": "..."}} with its status. Its message is meant for the caller; it
 * never carries a stack trace or a secret.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;
    private final String field;

    public ApiException(HttpResponseStatus status, String error, String field) {
        super(requireNonNull(error, "error"), null, false, false);
        this.status = requireNonNull(status, "status");
        this.field = field;
    }

    public static ApiException badRequest(String field, String error) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, error, field);
    }

    public static ApiException notFound(String error) {
        return new ApiException(HttpResponseStatus.NOT_FOUND, error, null);
    }

    public static ApiException conflict(String field, String error) {
        return new ApiException(HttpResponseStatus.CONFLICT, error, field);
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }
}
