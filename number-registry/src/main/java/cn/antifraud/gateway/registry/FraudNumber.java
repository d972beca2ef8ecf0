package cn.antifraud.gateway.registry;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A number tied to a fraud case (涉案号码). A call between a subscriber and this number is a contact
 * that triggers the tiered warnings.
 *
 * @param number        the fraud number
 * @param fraudType     the handbook's fraud type, which selects the warning wording
 * @param caseReference the police case reference
 * @param added         when it was listed
 * @param expires       when the listing lapses; null for never
 * @param rejectCalls   per-number policy: reject calls with 608 (RFC 8688) instead of only warning
 */
public record FraudNumber(
        PhoneNumber number,
        FraudType fraudType,
        String caseReference,
        Instant added,
        Instant expires,
        boolean rejectCalls) implements Serializable {

    /** Size of column {@code fraud_number.case_reference} (V1 migration). */
    public static final int MAX_CASE_REFERENCE = 200;

    public FraudNumber {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(fraudType, "fraudType");
        Objects.requireNonNull(caseReference, "caseReference");
        Objects.requireNonNull(added, "added");
        // String.length() counts UTF-16 units, never fewer than the characters either database counts.
        if (caseReference.isBlank() || caseReference.length() > MAX_CASE_REFERENCE) {
            throw new IllegalArgumentException("caseReference must be 1 to " + MAX_CASE_REFERENCE + " characters, got "
                    + caseReference.length());
        }
        added = StoredInstants.micros(added);
        expires = StoredInstants.micros(expires);
    }

    /** True while the listing is in force. */
    public boolean activeAt(Instant now) {
        return expires == null || now.isBefore(expires);
    }
}
