package cn.antifraud.gateway.sip.identity;

import java.util.Locale;

/**
 * The Identity header field value (RFC 8224 §4):
 * {@code signed-identity-digest SEMI ident-info *( SEMI ident-info-params )}, with
 * {@code ident-info = "info" EQUAL LAQUOT absoluteURI RAQUOT} and the {@code alg} and {@code ppt}
 * parameters. {@link #parse} is lenient about white space and parameter order, strict about the
 * rest: anything else is {@code null}.
 *
 * @param jws  the PASSporT in JWS compact serialization (full form)
 * @param info the certificate URL of the {@code info} parameter
 * @param alg  the {@code alg} parameter, or null
 * @param ppt  the {@code ppt} parameter, or null
 */
public record IdentityHeader(String jws, String info, String alg, String ppt) {

    static String format(String jws, String info, String ppt) {
        return jws + ";info=<" + info + ">;alg=ES256;ppt=" + ppt;
    }

    /** The parsed value, or null when it is not an RFC 8224 Identity value. */
    public static IdentityHeader parse(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        int semi = v.indexOf(';');
        String jws = (semi < 0 ? v : v.substring(0, semi)).trim();
        if (jws.isEmpty() || !jws.chars().allMatch(c -> c == '.' || c == '-' || c == '_'
                || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            return null;
        }
        String info = null;
        String alg = null;
        String ppt = null;
        int p = semi;
        while (p >= 0 && p < v.length()) {
            int start = p + 1;
            int eq = v.indexOf('=', start);
            if (eq < 0) {
                return null;
            }
            String name = v.substring(start, eq).trim().toLowerCase(Locale.ROOT);
            int valueStart = eq + 1;
            while (valueStart < v.length() && v.charAt(valueStart) == ' ') {
                valueStart++;
            }
            int end;
            String val;
            if (valueStart < v.length() && v.charAt(valueStart) == '<') {
                int close = v.indexOf('>', valueStart);
                if (close < 0) {
                    return null;
                }
                val = v.substring(valueStart + 1, close);
                end = v.indexOf(';', close);
            } else {
                end = v.indexOf(';', valueStart);
                val = (end < 0 ? v.substring(valueStart) : v.substring(valueStart, end)).trim();
            }
            switch (name) {
                case "info" -> info = val;
                case "alg" -> alg = val;
                case "ppt" -> ppt = val.replace("\"", "");
                default -> { }
            }
            p = end;
        }
        return new IdentityHeader(jws, info, alg, ppt);
    }
}
