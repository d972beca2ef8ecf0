package cn.antifraud.gateway.sip.identity;

import cn.antifraud.gateway.registry.PhoneNumber;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.List;
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
 * same claims always give the same bytes.
 */
record RcdClaims(String origTn, String destTn, long iat, String nam, String jcl, String jclDigest, String crn) {
    static final String JCL_POINTER = "/jcl";

    /** RFC 8224 §8.3 form of a canonical number: its E.164 digits without the '+'. */
    static String tn(PhoneNumber n) {
        String e = n.e164();
        return e.startsWith("+") ? e.substring(1) : e;
    }

    String toJson() {
        Map<String, Object> rcd = new TreeMap<>();
        rcd.put("jcl", jcl);
        rcd.put("nam", nam);
        Map<String, Object> claims = new TreeMap<>();
        claims.put("crn", crn);
        claims.put("dest", Map.of("tn", List.of(destTn)));
        claims.put("iat", iat);
        claims.put("orig", Map.of("tn", origTn));
        claims.put("rcd", rcd);
        claims.put("rcdi", Map.of(JCL_POINTER, jclDigest));
        return JSONObjectUtils.toJSONString(claims);
    }
}
