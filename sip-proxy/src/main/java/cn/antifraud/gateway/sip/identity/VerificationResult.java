package cn.antifraud.gateway.sip.identity;

import java.util.Locale;

/**
 * What {@link IdentityVerifier} concluded about an INVITE's card, with the reason when it refused
 * (a closed set: it is a metric tag).
 */
public enum VerificationResult {
    VERIFIED,
    /** No Identity header field with an {@code rcd} PASSporT. */
    NO_RCD_PASSPORT,
    /** The Identity value or its JWS does not parse, or its header is not an ES256 passport. */
    MALFORMED,
    /** The {@code x5u} names no configured certificate (nothing is fetched on the call path). */
    UNKNOWN_CERTIFICATE,
    /** The certificate is outside its validity period now. */
    CERTIFICATE_EXPIRED,
    BAD_SIGNATURE,
    /** {@code iat} is older than the configured max-age, or as far in the future. */
    STALE,
    ORIG_MISMATCH,
    DEST_MISMATCH,
    /** {@code rcd.nam} is not the display name the INVITE shows. */
    NAME_MISMATCH,
    /** {@code crn} is not the INVITE's call-reason. */
    REASON_MISMATCH,
    /** {@code rcd.jcl} is not the jCard URL of the INVITE's Call-Info. */
    CARD_URL_MISMATCH;

    public boolean verified() {
        return this == VERIFIED;
    }

    /** The metric tag value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
