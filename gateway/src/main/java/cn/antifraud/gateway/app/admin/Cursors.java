package cn.antifraud.gateway.app.admin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Listing cursors as the API hands them out: opaque and URL-safe (RFC 4648 §5 base64url without
 * padding), so a client can paste {@code nextCursor} into {@code ?cursor=} without encoding it.
 */
final class Cursors {
    private Cursors() {
    }

    static String encode(String registryCursor) {
        return registryCursor == null ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(registryCursor.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws ApiException 400 naming {@code cursor} when it is not one this API handed out */
    static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", "cursor must be a nextCursor value from a previous page");
        }
    }
}
