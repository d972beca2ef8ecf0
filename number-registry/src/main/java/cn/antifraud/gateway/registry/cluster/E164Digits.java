package cn.antifraud.gateway.registry.cluster;

/**
 * An E.164 number ({@code +} and at most 15 digits, ITU-T E.164 §6) as one {@code long}: 8 bytes in
 * a serialized map value instead of a string's length, characters and offset. Anything else that
 * reaches a serializer (it should not: {@code PhoneNumbers.parse} produces E.164) is kept as a string.
 */
final class E164Digits {
    /** Marks a number that is not {@code +} and 1 to 18 digits; its string form is stored instead. */
    static final long NOT_DIGITS = -1L;

    private E164Digits() {
    }

    static long of(String e164) {
        int length = e164.length();
        if (length < 2 || length > 19 || e164.charAt(0) != '+' || e164.charAt(1) == '0') {
            return NOT_DIGITS;
        }
        long value = 0;
        for (int i = 1; i < length; i++) {
            char c = e164.charAt(i);
            if (c < '0' || c > '9') {
                return NOT_DIGITS;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * The fraud-number map's key: the number's digits as a {@code long}. A {@code Long} key is a
     * 16-byte serialised form against 32 bytes for the 14-character string, and hashes and compares
     * without touching characters.
     *
     * @throws IllegalArgumentException if {@code e164} is not {@code +} and 1 to 18 digits without a
     *         leading zero (every number {@code PhoneNumbers.parse} makes is)
     */
    static long key(String e164) {
        long digits = of(e164);
        if (digits == NOT_DIGITS) {
            throw new IllegalArgumentException("not an E.164 number ('+' and digits): '" + e164 + "'");
        }
        return digits;
    }

    /** The canonical E.164 string of a {@link #key}. */
    static String e164(long key) {
        if (key <= 0) {
            throw new IllegalArgumentException("not a number key: " + key);
        }
        return "+" + key;
    }
}
