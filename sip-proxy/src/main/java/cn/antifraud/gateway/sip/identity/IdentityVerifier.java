package cn.antifraud.gateway.sip.identity;

import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.sip.message.HeaderValues;
import cn.antifraud.gateway.sip.message.NameAddress;
import cn.antifraud.gateway.sip.message.SipHeaderNames;
import cn.antifraud.gateway.sip.message.SipMessage;
import cn.antifraud.gateway.sip.message.SipMessageBuilder;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies the {@code rcd} PASSporT of an incoming INVITE (RFC 8224 §6.2; the rcd claims of RFC 9795): the first
 * Identity header field whose {@code ppt} is {@code rcd} must carry an ES256 JWS of type
 * {@code passport} whose {@code x5u} names a configured, validated certificate
 * ({@link KnownCertificates}), whose signature verifies under that certificate's key, whose
 * {@code iat} is within {@code maxAge} of now (RFC 8224 §6.2.4), whose {@code orig} is the asserted
 * caller (P-Asserted-Identity, else From) and whose {@code dest} holds the called number
 * (Request-URI, else To), and whose card is the card the INVITE shows: {@code rcd.nam} equal to the
 * From (and any P-Asserted-Identity) display name, {@code crn} equal to the jcard Call-Info's
 * {@code call-reason}, {@code rcd.jcl} equal to that Call-Info's URL.
 *
 * <p>The jCard behind {@code jcl} is not fetched (no network on the call path), so its {@code rcdi}
 * digest is not checked here; the handset or the verifier that fetches it does that.
 *
 * <p>Thread-safe; no I/O. The cost is one ES256 verification plus JSON parsing.
 */
public final class IdentityVerifier {
    private final KnownCertificates certificates;
    private final Duration maxAge;

    public IdentityVerifier(KnownCertificates certificates, Duration maxAge) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    }

    /** The verdict on {@code invite}'s card at {@code now}; never throws on hostile input (MALFORMED instead). */
    public VerificationResult verify(SipMessage invite, Instant now) {
        try {
            return check(invite, now);
        } catch (RuntimeException e) {
            // A JSON shape or a header value the checks above did not foresee: refused, not a crash.
            return VerificationResult.MALFORMED;
        }
    }

    private VerificationResult check(SipMessage invite, Instant now) {
        IdentityHeader identity = rcdIdentity(invite);
        if (identity == null) {
            return VerificationResult.NO_RCD_PASSPORT;
        }
        JWSObject jws;
        Map<String, Object> claims;
        try {
            jws = JWSObject.parse(identity.jws());
            claims = jws.getPayload().toJSONObject();
        } catch (ParseException e) {
            return VerificationResult.MALFORMED;
        }
        JWSHeader h = jws.getHeader();
        if (claims == null || !JWSAlgorithm.ES256.equals(h.getAlgorithm()) || h.getType() == null
                || !"passport".equals(h.getType().getType()) || !SigningMaterialHolder.PPT.equals(h.getCustomParam("ppt"))
                || h.getX509CertURL() == null) {
            return VerificationResult.MALFORMED;
        }
        KnownCertificates.Entry cert = certificates.forUrl(h.getX509CertURL().toString());
        if (cert == null) {
            return VerificationResult.UNKNOWN_CERTIFICATE;
        }
        try {
            cert.leaf().checkValidity(Date.from(now));
        } catch (java.security.cert.CertificateException e) {
            return VerificationResult.CERTIFICATE_EXPIRED;
        }
        try {
            if (!jws.verify(cert.verifier())) {
                return VerificationResult.BAD_SIGNATURE;
            }
        } catch (JOSEException e) {
            return VerificationResult.BAD_SIGNATURE;
        }
        return checkClaims(invite, claims, now);
    }

    private VerificationResult checkClaims(SipMessage invite, Map<String, Object> claims, Instant now) {
        if (!(claims.get("iat") instanceof Number iat)) {
            return VerificationResult.MALFORMED;
        }
        if (Math.abs(now.getEpochSecond() - iat.longValue()) > maxAge.toSeconds()) {
            return VerificationResult.STALE;
        }
        String orig = stringAt(claims, "orig", "tn");
        if (orig == null || !assertedCallers(invite).contains(orig)) {
            return VerificationResult.ORIG_MISMATCH;
        }
        String called = tn(number(invite.requestUri()));
        if (called == null) {
            called = tn(number(invite.to().uri()));
        }
        if (!(claims.get("dest") instanceof Map<?, ?> dest) || !(dest.get("tn") instanceof List<?> tns)
                || called == null || !tns.contains(called)) {
            return VerificationResult.DEST_MISMATCH;
        }
        String nam = stringAt(claims, "rcd", "nam");
        if (nam == null || !displayNamesAre(invite, nam)) {
            return VerificationResult.NAME_MISMATCH;
        }
        String card = jcardCallInfo(invite);
        String reason = card == null ? null : HeaderValues.param(card, "call-reason");
        Object crn = claims.get("crn");
        if (reason == null ? crn != null : !SipMessage.utf8(unquote(reason)).equals(crn)) {
            return VerificationResult.REASON_MISMATCH;
        }
        String jcl = stringAt(claims, "rcd", "jcl");
        if (card != null) {
            NameAddress url = NameAddress.parse(card);
            if (jcl == null || url == null || !jcl.equals(url.uri())) {
                return VerificationResult.CARD_URL_MISMATCH;
            }
        }
        return VerificationResult.VERIFIED;
    }

    /** The first Identity value whose ppt parameter (or, lacking one, whose JWS header) says rcd. */
    private static IdentityHeader rcdIdentity(SipMessage invite) {
        for (String v : invite.values("Identity")) {
            IdentityHeader h = IdentityHeader.parse(v);
            if (h != null && SigningMaterialHolder.PPT.equals(h.ppt())) {
                return h;
            }
        }
        return null;
    }

    private static String stringAt(Map<String, Object> claims, String object, String key) {
        return claims.get(object) instanceof Map<?, ?> m && m.get(key) instanceof String s ? s : null;
    }

    private static List<String> assertedCallers(SipMessage invite) {
        List<String> out = new ArrayList<>(2);
        for (String element : invite.values(SipHeaderNames.P_ASSERTED_IDENTITY)) {
            NameAddress a = NameAddress.parse(element);
            String tn = a == null ? null : tn(number(a.uri()));
            if (tn != null) {
                out.add(tn);
            }
        }
        if (out.isEmpty()) {
            String tn = tn(number(invite.from().uri()));
            if (tn != null) {
                out.add(tn);
            }
        }
        return out;
    }

    /** True when From and every P-Asserted-Identity that has a display name show {@code nam}. */
    private static boolean displayNamesAre(SipMessage invite, String nam) {
        if (!nam.equals(DisplayNames.of(invite.firstValue(SipHeaderNames.FROM)))) {
            return false;
        }
        for (String element : invite.values(SipHeaderNames.P_ASSERTED_IDENTITY)) {
            String shown = DisplayNames.of(element);
            if (!shown.isEmpty() && !shown.equals(nam)) {
                return false;
            }
        }
        return true;
    }

    private static String jcardCallInfo(SipMessage invite) {
        for (String element : invite.values(SipHeaderNames.CALL_INFO)) {
            if (SipMessageBuilder.isRichCallData(element) && "jcard".equalsIgnoreCase(HeaderValues.param(element, "purpose"))) {
                return element;
            }
        }
        return null;
    }

    /** A quoted parameter's content (HeaderValues.param already dropped the quotes) with its quoted-pairs undone. */
    private static String unquote(String v) {
        return v.indexOf('\\') < 0 ? v : v.replaceAll("\\\\(.)", "$1");
    }

    private static PhoneNumber number(String uri) {
        try {
            return uri == null ? null : PhoneNumbers.parse(uri);
        } catch (RuntimeException e) {
            // Hostile input: PhoneNumbers.parse may throw more than InvalidPhoneNumberException (see CallParties).
            return null;
        }
    }

    private static String tn(PhoneNumber n) {
        return n == null ? null : RcdClaims.tn(n);
    }
}
