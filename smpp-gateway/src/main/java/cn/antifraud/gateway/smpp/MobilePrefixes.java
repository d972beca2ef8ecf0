package cn.antifraud.gateway.smpp;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.PhoneNumber;
import java.util.List;
import java.util.Optional;

/**
 * Which numbers a warning SMS may go to: mainland China mobile numbers, +86 and 11 digits starting with one of
 * the configured prefixes. The default is the numbering plan's mobile range 13x to 19x (MIIT 电信网编号计划:
 * mobile numbers are 11 digits beginning 13 to 19); an operator narrows it (e.g. to its own number blocks)
 * or widens it in {@code warnings.mobile-prefixes}. A landline, a short code or a foreign number cannot read
 * an SMS warning, so it is refused with a clear error rather than texted.
 */
public final class MobilePrefixes {
    private static final int MOBILE_DIGITS = 11;
    private final List<String> prefixes;

    private MobilePrefixes(List<String> prefixes) {
        this.prefixes = List.copyOf(prefixes);
    }

    /** 13 to 19, the numbering plan's mobile range. */
    public static MobilePrefixes defaults() {
        return new MobilePrefixes(List.of("13", "14", "15", "16", "17", "18", "19"));
    }

    /**
     * @param prefixes national prefixes of 1 to 7 digits beginning with 1, e.g. "13", "198"
     * @throws IllegalArgumentException naming the first bad prefix
     */
    public static MobilePrefixes of(List<String> prefixes) {
        requireNonNull(prefixes, "prefixes");
        if (prefixes.isEmpty()) {
            throw new IllegalArgumentException("at least one mobile prefix is needed");
        }
        for (String p : prefixes) {
            if (p == null || !p.matches("1[0-9]{0,6}")) {
                throw new IllegalArgumentException("a mobile prefix is 1 to 7 digits beginning with 1 (e.g. 13, 198), got '"
                        + Quote.limit(String.valueOf(p)) + "'");
            }
        }
        return new MobilePrefixes(prefixes);
    }

    public List<String> prefixes() {
        return prefixes;
    }

    /** Why {@code number} cannot receive a warning SMS, or empty when it can. */
    public Optional<String> problem(PhoneNumber number) {
        String e164 = number.e164();
        if (!e164.startsWith("+86")) {
            return Optional.of(e164 + " is not a mainland China (+86) number; warnings go to Chinese mobile numbers only");
        }
        String national = e164.substring(3);
        if (national.length() != MOBILE_DIGITS || prefixes.stream().noneMatch(national::startsWith)) {
            return Optional.of(national + " is not a Chinese mobile number (11 digits beginning "
                    + String.join(", ", prefixes) + ")");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return prefixes.toString();
    }
}
