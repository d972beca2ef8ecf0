package cn.antifraud.gateway.registry;

import java.io.Serializable;
import java.util.Objects;

/**
 * A phone number in its one canonical form, made only by {@link PhoneNumbers#parse(String)}.
 *
 * <p>The canonical form is E.164 with a leading {@code +} (ITU-T E.164 §6): {@code +8613800138000}
 * for a mobile, {@code +861012345678} for a Beijing landline, {@code +8612381} for a short code.
 * Two inputs that reach the same subscriber compare equal, whatever their notation.
 *
 * @param e164 canonical digits with a leading '+'
 * @param kind what the number is within the Chinese numbering plan
 */
public record PhoneNumber(String e164, Kind kind) implements Serializable {

    /** What a number is within the Chinese numbering plan (YD/T 1.1, MIIT numbering plan). */
    public enum Kind { MOBILE, LANDLINE, SHORT_CODE, INTERNATIONAL }

    public PhoneNumber {
        Objects.requireNonNull(e164, "e164");
        Objects.requireNonNull(kind, "kind");
    }

    /** The national significant number for +86 numbers ("13800138000", "1012345678", "12381"); otherwise the E.164 digits. */
    public String national() {
        return e164.startsWith("+86") ? e164.substring(3) : e164.substring(1);
    }

    /** The last four digits, as warning templates quote them. */
    public String lastFour() {
        String digits = e164.substring(1);
        return digits.length() <= 4 ? digits : digits.substring(digits.length() - 4);
    }

    @Override
    public String toString() {
        return e164;
    }
}
