package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A complete answer: status, media type, body and extra headers. Built on a worker, written to the
 * channel by the handler.
 */
public record ApiResponse(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON = "application/json; charset=utf-8";

    public ApiResponse {
        requireNonNull(status, "status");
        requireNonNull(contentType, "contentType");
        requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(HttpResponseStatus status, JsonNode body) {
        return new ApiResponse(status, JSON, Json.bytes(body), Map.of());
    }

    public static ApiResponse text(HttpResponseStatus status, String contentType, String body) {
        return new ApiResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** {@code {"error": ..., "field": ...}}; field omitted when null. */
    public static ApiResponse error(HttpResponseStatus status, String error, String field) {
        ObjectNode n = Json.object().put("error", error);
        if (field != null) {
            n.put("field", field);
        }
        return json(status, n);
    }

    /** The JSON error with the exception's headers; a 401 also says which scheme to use (RFC 6750 §3). */
    public static ApiResponse error(ApiException e) {
        ApiResponse r = error(e.status(), e.getMessage(), e.field());
        for (Map.Entry<String, String> h : e.headers().entrySet()) {
            r = r.withHeader(h.getKey(), h.getValue());
        }
        return e.status().equals(HttpResponseStatus.UNAUTHORIZED) ? r.withHeader("WWW-Authenticate", "Bearer") : r;
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new java.util.HashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, contentType, body, h);
    }
}
