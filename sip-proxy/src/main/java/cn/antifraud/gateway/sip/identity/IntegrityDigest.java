package cn.antifraud.gateway.sip.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * An {@code rcdi} digest string (RFC 9795, "rcdi" claim; the W3C Subresource Integrity form it
 * adopts): the hash algorithm's name, a hyphen, and the base64 of the digest, e.g.
 * {@code sha256-uB9j...=}. This gateway writes SHA-256 in standard base64 with padding (RFC 4648 §4,
 * as SRI does). It reads what other signers have been seen or might be expected to write: sha256,
 * sha384 or sha512, in base64 or base64url (RFC 4648 §5), padded or not, because the encoding of the
 * published examples is not uniform and a digest's bytes are what matter.
 */
final class IntegrityDigest {
    private IntegrityDigest() {
    }

    /** The SHA-256 digest string of {@code content}. */
    static String sha256(byte[] content) {
        return "sha256-" + Base64.getEncoder().encodeToString(hash("SHA-256", content));
    }

    /** True when {@code value} is a well-formed digest string of {@code content}. */
    static boolean matches(String value, byte[] content) {
        if (value == null) {
            return false;
        }
        int dash = value.indexOf('-');
        if (dash < 0) {
            return false;
        }
        String jca = switch (value.substring(0, dash).toLowerCase(Locale.ROOT)) {
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            default -> null;
        };
        byte[] claimed = decode(value.substring(dash + 1));
        return jca != null && claimed != null && MessageDigest.isEqual(claimed, hash(jca, content));
    }

    private static byte[] decode(String b64) {
        String s = b64.strip();
        while (s.endsWith("=")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            return s.indexOf('-') >= 0 || s.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] hash(String algorithm, byte[] content) {
        try {
            return MessageDigest.getInstance(algorithm).digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is a required JDK algorithm", e);
        }
    }
}
