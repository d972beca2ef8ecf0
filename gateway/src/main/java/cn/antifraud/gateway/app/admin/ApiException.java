package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/**
 * An answer other than success, thrown by a resource and turned into
 * {@code {"error": "...", "field": "..."}} with its status. Its message is meant for the caller; it
 * never carries a stack trace or a secret.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;
    private final String field;
    private final Map<String, String> headers;

    public ApiException(HttpResponseStatus status, String error, String field) {
        this(status, error, field, Map.of());
    }

    /** With response headers, such as {@code Allow} on a 405 or {@code Retry-After} on a 429. */
    public ApiException(HttpResponseStatus status, String error, String field, Map<String, String> headers) {
        super(requireNonNull(error, "error"), null, false, false);
        this.status = requireNonNull(status, "status");
        this.field = field;
        this.headers = Map.copyOf(headers);
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

    /** Headers the answer carries. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }
}
