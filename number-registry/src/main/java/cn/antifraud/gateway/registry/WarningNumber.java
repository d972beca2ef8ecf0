package cn.antifraud.gateway.registry;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A registered police warning number and its 反诈名片 (caller card): what the callee's phone shows
 * when this number calls from a trusted ingress. The card is rendered as the From display name and
 * an RFC 9796 Call-Info with {@code purpose=jcard} and {@code call-reason}.
 *
 * @param number      the warning number
 * @param cardName    display name, e.g. 国家反诈中心
 * @param callReason  RFC 9796 call-reason, at most {@value #MAX_CALL_REASON} characters
 * @param agency      the agency that registered the number
 * @param logoUrl     optional https URL of the card's logo (RFC 9796 {@code purpose=icon}); may be null
 * @param validFrom   start of the validity window (inclusive)
 * @param validUntil  end of the validity window (exclusive); null for open-ended
 * @param verifiedBy  who verified the registration
 * @param verifiedAt  when it was verified
 * @param revoked     revoked records are kept for audit but never branded
 */
public record WarningNumber(
        PhoneNumber number,
        String cardName,
        String callReason,
        String agency,
        String logoUrl,
        Instant validFrom,
        Instant validUntil,
        String verifiedBy,
        Instant verifiedAt,
        boolean revoked) implements Serializable {

    public static final int MAX_CALL_REASON = 64;
    public static final int MAX_CARD_NAME = 32;
    /** Column sizes of table {@code warning_number} (V1 migration), checked here so a long value is a 400, not a database error. */
    public static final int MAX_AGENCY = 200;
    public static final int MAX_VERIFIED_BY = 200;
    public static final int MAX_LOGO_URL = 2048;

    public WarningNumber {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(cardName, "cardName");
        Objects.requireNonNull(callReason, "callReason");
        Objects.requireNonNull(agency, "agency");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(verifiedBy, "verifiedBy");
        Objects.requireNonNull(verifiedAt, "verifiedAt");
        validFrom = StoredInstants.micros(validFrom);
        validUntil = StoredInstants.micros(validUntil);
        verifiedAt = StoredInstants.micros(verifiedAt);
        if (cardName.isBlank() || cardName.codePointCount(0, cardName.length()) > MAX_CARD_NAME) {
            throw new InvalidFieldException("cardName", "cardName must be 1 to " + MAX_CARD_NAME + " characters");
        }
        if (callReason.isBlank() || callReason.codePointCount(0, callReason.length()) > MAX_CALL_REASON) {
            throw new InvalidFieldException("callReason", "callReason must be 1 to " + MAX_CALL_REASON + " characters");
        }
        // These are shown on handsets, inside SIP quoted strings (RFC 3261 §25.1 qdtext has no controls)
        // and in the SMS: a control character or a bidi override has no place in any of them (issue 10).
        requirePrintable("cardName", cardName);
        requirePrintable("callReason", callReason);
        requirePrintable("agency", agency);
        if (validUntil != null && !validUntil.isAfter(validFrom)) {
            throw new IllegalArgumentException("validUntil must be after validFrom");
        }
        // String.length() counts UTF-16 units, never fewer than the characters either database counts.
        if (agency.length() > MAX_AGENCY) {
            throw new IllegalArgumentException("agency must be at most " + MAX_AGENCY + " characters");
        }
        if (verifiedBy.length() > MAX_VERIFIED_BY) {
            throw new IllegalArgumentException("verifiedBy must be at most " + MAX_VERIFIED_BY + " characters");
        }
        if (logoUrl != null && logoUrl.length() > MAX_LOGO_URL) {
            throw new IllegalArgumentException("logoUrl must be at most " + MAX_LOGO_URL + " characters");
        }
    }

    /**
     * Refuses C0 and C1 control characters (ESC, BEL, CR, LF, tab, DEL ...) and the Unicode bidi
     * embedding, override and isolate controls, which could make a name read differently than it is.
     */
    private static void requirePrintable(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.getType(c) == Character.CONTROL || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
                throw new InvalidFieldException(field, String.format("%s must not contain control characters (U+%04X at %d)",
                        field, (int) c, i));
            }
        }
    }

    /** True when this card may be shown at {@code now}: not revoked and inside its validity window. */
    public boolean brandableAt(Instant now) {
        return !revoked && !now.isBefore(validFrom) && (validUntil == null || now.isBefore(validUntil));
    }

    /** A copy marked revoked; the record is kept for audit. */
    public WarningNumber revoke() {
        return new WarningNumber(number, cardName, callReason, agency, logoUrl, validFrom, validUntil,
                verifiedBy, verifiedAt, true);
    }
}
