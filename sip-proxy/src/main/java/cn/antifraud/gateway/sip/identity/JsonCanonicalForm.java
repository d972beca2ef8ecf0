package cn.antifraud.gateway.sip.identity;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON Canonicalization Scheme (JCS, RFC 8785) form of a JSON document: what RFC 9795 hashes for
 * an {@code rcdi} digest of JSON content (the jCard behind {@code jcl}), so that a verifier that
 * re-serialises the jCard it fetched (other key order, other white space, other escapes) computes
 * the same digest.
 *
 * <p>RFC 8785 §3.2: no white space; object members sorted by their names' UTF-16 code units
 * (§3.2.3, which is {@link String#compareTo}); strings with only {@code "}, {@code \} and the
 * controls below U+0020 escaped, as {@code \b \t \n \f \r} or {@code \}{@code u00xx} in lower-case hex
 * (§3.2.2.2), everything else literal UTF-8. Numbers (§3.2.2.3, the ECMAScript form) are written
 * for integers of magnitude below 2^53 only: a jCard (RFC 7095) carries its values as strings, and
 * a fraction or a large number is refused with a clear error rather than written in a form another
 * implementation might not reproduce.
 */
final class JsonCanonicalForm {
    /** RFC 8785 §3.2.2.3 / I-JSON (RFC 7493 §2.2): integers exactly representable as doubles. */
    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private JsonCanonicalForm() {
    }

    /** The canonical UTF-8 bytes of the JSON document {@code json} (an object or an array). */
    static byte[] of(byte[] json) throws IdentityException {
        String text = new String(json, StandardCharsets.UTF_8).strip();
        Object value;
        try {
            value = text.startsWith("[") ? JSONArrayUtils.parse(text) : JSONObjectUtils.parse(text);
        } catch (ParseException e) {
            throw new IdentityException("not a JSON document: " + e.getMessage(), e);
        }
        StringBuilder out = new StringBuilder(json.length);
        write(value, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Object v, StringBuilder out) throws IdentityException {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String s) {
            string(s, out);
        } else if (v instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (v instanceof Number n) {
            number(n, out);
        } else if (v instanceof Map<?, ?> m) {
            List<String> names = new ArrayList<>(m.size());
            for (Object k : m.keySet()) {
                names.add((String) k);
            }
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(names.get(i), out);
                out.append(':');
                write(m.get(names.get(i)), out);
            }
            out.append('}');
        } else if (v instanceof List<?> l) {
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(l.get(i), out);
            }
            out.append(']');
        } else {
            throw new IdentityException("unexpected JSON value of type " + v.getClass().getSimpleName());
        }
    }

    private static void number(Number n, StringBuilder out) throws IdentityException {
        double d = n.doubleValue();
        if (d != Math.rint(d) || Math.abs(d) > MAX_SAFE_INTEGER) {
            throw new IdentityException("JSON number " + n + " is not an integer below 2^53: not canonicalised");
        }
        // -0 is written 0 (RFC 8785 §3.2.2.3, as ECMAScript does).
        out.append((long) d);
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
