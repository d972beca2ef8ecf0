package cn.antifraud.gateway.smpp;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;

/**
 * How an SMSC's delivery receipts spell the message id its submit_sm_resp gave (SMPP 3.4 §4.4.2 leaves the
 * message_id format to the SMSC, and Appendix B says only that the receipt's "id:" is "the message ID
 * allocated to the message by the SMSC"). Some SMSCs answer submit_sm_resp in hex and write the receipt in
 * decimal, or the reverse. The gateway does not guess among spellings (two ids of one SMSC may be each
 * other's hex and decimal spellings, so a guess lands a receipt on the wrong job): each SMSC's config says
 * which one it uses. An operator finds out by comparing, at DEBUG, the submit_sm_resp id logged for a
 * message with the id of the receipt for that message.
 */
public enum ReceiptIdFormat {
    /** The receipt carries the submit_sm_resp id itself (the common case, and the default). */
    AS_IS,
    /** The submit_sm_resp id is hexadecimal and the receipt carries the same number in decimal. */
    HEX_TO_DECIMAL,
    /** The submit_sm_resp id is decimal and the receipt carries the same number in hexadecimal. */
    DECIMAL_TO_HEX;

    /** Longest id converted: SMPP 3.4 message_id is at most 65 octets; 64 hex digits or 77 decimal ones fit 256 bits. */
    private static final int MAX_DIGITS = 80;

    /**
     * The key a receipt for the message with this submit_sm_resp id will carry, canonical (see
     * {@link #canonical}); empty when the id cannot be converted (e.g. a non-hex id under {@link #HEX_TO_DECIMAL}).
     */
    public Optional<String> receiptKeyOf(String submitRespId) {
        String id = canonical(submitRespId);
        if (id.isEmpty() || id.length() > MAX_DIGITS) {
            return this == AS_IS && !id.isEmpty() ? Optional.of(id) : Optional.empty();
        }
        return switch (this) {
            case AS_IS -> Optional.of(id);
            case HEX_TO_DECIMAL -> digits(id, 16) ? Optional.of(new BigInteger(id, 16).toString(10)) : Optional.empty();
            case DECIMAL_TO_HEX -> digits(id, 10) ? Optional.of(new BigInteger(id, 10).toString(16)) : Optional.empty();
        };
    }

    /**
     * The one canonical spelling of an id as written: trimmed, lower case, without leading zeros, so that a
     * receipt text's zero-padded "id:0000012345" meets the resp's "12345", and "00A1" meets "a1". This is
     * spelling, not a guess at another number: both name the same number in the same base.
     */
    public static String canonical(String id) {
        String s = id.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }

    /** The config spelling, e.g. {@code hex-to-decimal}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static boolean digits(String s, int radix) {
        return s.chars().allMatch(c -> Character.digit(c, radix) >= 0);
    }
}
