package cn.antifraud.gateway.app.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Locale;

/**
 * What body a route takes. A body sent with the wrong {@code Content-Type} is refused with 415
 * (RFC 9110 §15.5.16) before any handler runs, so a form post or a CSV sent to a JSON route is
 * never half-parsed.
 */
public enum BodyType {
    /** No body is read; any that is sent is ignored (GET, DELETE). */
    NONE(""),
    /** A small JSON object ({@code application/json}, RFC 8259), aggregated up to {@code admin.max-body-bytes}. */
    JSON("application/json"),
    /**
     * Newline-delimited JSON ({@code application/x-ndjson}), one object a line, aggregated up to
     * {@code admin.max-body-bytes} (the bulk warning intake).
     */
    NDJSON("application/x-ndjson"),
    /** A CSV upload ({@code text/csv}, RFC 4180) streamed to the handler, never aggregated. */
    CSV_STREAM("text/csv");

    private final String mediaType;

    BodyType(String mediaType) {
        this.mediaType = mediaType;
    }

    /** Whether the body is streamed to the handler rather than aggregated first. */
    public boolean streamed() {
        return this == CSV_STREAM;
    }

    /**
     * Checks the request's Content-Type (parameters such as {@code charset} are allowed).
     *
     * @throws ApiException 415 naming {@code Content-Type}
     */
    void check(String contentType) {
        if (this == NONE) {
            return;
        }
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals(mediaType)) {
            throw new ApiException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "the body must be " + mediaType + "; got "
                    + (contentType == null ? "no Content-Type" : "'" + abbreviate(contentType) + "'"), "Content-Type");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
