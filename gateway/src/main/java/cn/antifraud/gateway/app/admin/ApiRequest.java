package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/**
 * A request as the API's resources see it: copied out of Netty's buffers on the event loop, so the
 * worker that runs it holds no reference-counted memory.
 *
 * @param method        HTTP method
 * @param path          decoded path without the query
 * @param query         decoded query parameters
 * @param authorization the Authorization header, or null
 * @param contentType   the Content-Type header, or null
 * @param body          the body (small: the aggregator bounds it)
 */
public record ApiRequest(HttpMethod method, String path, Map<String, List<String>> query, String authorization,
                         String contentType, byte[] body) {

    public ApiRequest {
        requireNonNull(method, "method");
        requireNonNull(path, "path");
        query = Map.copyOf(query);
        requireNonNull(body, "body");
    }

    /**
     * Parses the request line's URI (RFC 3986 percent-decoding of path and query).
     *
     * @throws ApiException 400 when the URI is not validly percent-encoded ({@code %zz}, a cut-off
     *                      {@code %4}, bytes that are not UTF-8)
     */
    public static ApiRequest of(HttpMethod method, String uri, String authorization, String contentType, byte[] body) {
        String path;
        Map<String, List<String>> query;
        try {
            // Both are decoded lazily by Netty and throw IllegalArgumentException on a bad escape.
            QueryStringDecoder d = new QueryStringDecoder(uri);
            path = d.path();
            query = d.parameters();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(null, "the request URI is not validly percent-encoded (RFC 3986 §2.1)");
        }
        return new ApiRequest(method, path, query, authorization, contentType, body);
    }

    /** The last value of a query parameter, or null. */
    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
    }
}
