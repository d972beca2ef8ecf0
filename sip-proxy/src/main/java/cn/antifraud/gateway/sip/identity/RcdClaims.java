package cn.antifraud.gateway.sip.identity;

import cn.antifraud.gateway.registry.PhoneNumber;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.Map;
import java.util.TreeMap;

/**
 * The claims of an {@code rcd} PASSporT as this gateway signs them, and where each one sits:
 *
 * <ul>
 *   <li>{@code orig} {@code {"tn": ...}} and {@code dest} {@code {"tn": [...]}}: RFC 8225 §5.2, telephone
 *       numbers canonicalised as RFC 8224 §8.3 says (digits only, country code included, no '+');</li>
 *   <li>{@code iat}: RFC 8225 §5.1.1, seconds since the epoch;</li>
 *   <li>{@code rcd}: RFC 9795 "rcd" claim, an object with {@code nam} (required: the display name
 *       the callee sees) and {@code jcl} (the URL of the jCard, the same URL as the RFC 9796
 *       Call-Info); key names from the IANA "PASSporT RCD Claim Types" registry;</li>
 *   <li>{@code rcdi}: RFC 9795 "rcdi" claim, top-level, an object keyed by JSON pointers (RFC 6901)
 *       to URL-valued members of {@code rcd}; the value for {@code /jcl} is the digest string of the
 *       canonical form of the document {@code jcl} points at ({@link JCardDigests});</li>
 *   <li>{@code crn}: RFC 9795 "crn" claim, the call reason, top-level (the same text as the RFC 9796
 *       {@code call-reason} parameter).</li>
 * </ul>
 *
 * <p>RFC 9795's section numbers are not cited: its full text was not available when this was
 * checked (docs/sip-proxy.md, "Sources").
 *
 * <p>The JSON is written with keys in lexicographic order and no white space (RFC 8225 §9), so the
 * same claims always give the same bytes: {@code crn, dest, iat, orig, rcd, rcdi}.
 */
record RcdClaims(String origTn, String destTn, long iat, CardPart card) {
    static final String JCL_POINTER = "/jcl";

    /**
     * The claims that depend on the card alone ({@code crn}, {@code rcd}, {@code rcdi}), serialised
     * once per card version and card URL: per call only {@code orig}, {@code dest} and {@code iat}
     * are written. {@link #prefix} runs up to the dest number, {@link #suffix} from after the orig
     * number to the end, so that the whole stays in canonical order.
     */
    record CardPart(String prefix, String suffix) {
        static CardPart of(String nam, String jcl, String jclDigest, String crn) {
            Map<String, Object> rcd = new TreeMap<>();
            rcd.put("jcl", jcl);
            rcd.put("nam", nam);
            return new CardPart("{\"crn\":" + json(crn) + ",\"dest\":{\"tn\":[\"",
                    "\"},\"rcd\":" + json(rcd) + ",\"rcdi\":" + json(Map.of(JCL_POINTER, jclDigest)) + "}");
        }

        /** One JSON value as nimbus-jose-jwt writes it (null included), without its wrapping object. */
        private static String json(Object value) {
            Map<String, Object> wrapper = new TreeMap<>();
            wrapper.put("v", value);
            String s = JSONObjectUtils.toJSONString(wrapper);
            return s.substring("{\"v\":".length(), s.length() - 1);
        }
    }

    /** RFC 8224 §8.3 form of a canonical number: its E.164 digits without the '+'. */
    static String tn(PhoneNumber n) {
        String e = n.e164();
        return e.startsWith("+") ? e.substring(1) : e;
    }

    String toJson() {
        // orig and dest are spliced in unescaped: RFC 8224 §8.3 numbers are digits only, and anything
        // else is refused rather than written into the JSON.
        if (!digits(origTn) || !digits(destTn)) {
            throw new IllegalArgumentException("tn is not RFC 8224 §8.3 digits: " + origTn + ", " + destTn);
        }
        return new StringBuilder(card.prefix().length() + card.suffix().length() + 64)
                .append(card.prefix()).append(destTn).append("\"]},\"iat\":").append(iat)
                .append(",\"orig\":{\"tn\":\"").append(origTn).append(card.suffix()).toString();
    }

    private static boolean digits(String tn) {
        if (tn.isEmpty()) {
            return false;
        }
        for (int i = 0; i < tn.length(); i++) {
            char c = tn.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
