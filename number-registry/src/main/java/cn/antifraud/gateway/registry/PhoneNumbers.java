package cn.antifraud.gateway.registry;

/**
 * The one normaliser for phone numbers, used at every entry point: admin API, config files, SIP
 * URIs (RFC 3261 §19.1, RFC 3966 {@code tel:}) and SMPP addresses.
 *
 * <p>Accepted notations of one number: {@code +86 138 0013 8000}, {@code 008613800138000},
 * {@code 8613800138000}, {@code 13800138000}, {@code tel:+86-138-0013-8000},
 * {@code sip:+8613800138000@host;user=phone}. Landlines need their area code, with the trunk prefix
 * ({@code 010-12345678}) or the country code ({@code +86 10 1234 5678}). Short codes (110, 12381,
 * 96110, 95xxx) stand alone. Numbers of other countries are kept in E.164.
 */
public final class PhoneNumbers {

    private static final String CHINA = "86";
    private static final int E164_MAX_DIGITS = 15;

    private PhoneNumbers() {
    }

    /**
     * Parses any accepted notation into the canonical number.
     *
     * @throws InvalidPhoneNumberException with a message that says what is wrong
     */
    public static PhoneNumber parse(String input) {
        if (input == null) {
            throw new InvalidPhoneNumberException("null", "is missing");
        }
        String digits = digitsOf(input, stripUri(input.trim()));
        if (digits.isEmpty() || digits.equals("+")) {
            throw new InvalidPhoneNumberException(input, "has no digits");
        }
        if (digits.startsWith("+")) {
            return international(input, digits.substring(1));
        }
        if (digits.startsWith("00")) {
            return international(input, digits.substring(2));
        }
        if (digits.startsWith("0")) {
            return trunkDialled(input, digits.substring(1));
        }
        if (digits.length() == 13 && digits.startsWith(CHINA) && isMobile(digits.substring(2))) {
            return new PhoneNumber("+" + digits, PhoneNumber.Kind.MOBILE);
        }
        if (digits.startsWith(CHINA) && isLandline(digits.substring(2))) {
            // SMPP addresses with TON international carry no '+'. A landline without the trunk prefix
            // is not dialable nationally, so "86" followed by a full landline can only mean +86.
            return new PhoneNumber("+" + digits, PhoneNumber.Kind.LANDLINE);
        }
        return nationalWithoutPrefix(input, digits);
    }

    /** Like {@link #parse(String)}, but returns {@code null} instead of throwing: for hot paths that only look up. */
    public static PhoneNumber parseOrNull(String input) {
        try {
            return parse(input);
        } catch (InvalidPhoneNumberException e) {
            return null;
        }
    }

    private static PhoneNumber international(String input, String digits) {
        if (digits.startsWith("0")) {
            throw new InvalidPhoneNumberException(input, "a country code cannot start with 0");
        }
        if (digits.startsWith(CHINA)) {
            String nsn = digits.substring(2);
            if (nsn.startsWith("0")) {
                // "+86 010 ..." is a common mistake; the trunk prefix is not part of E.164.
                nsn = nsn.substring(1);
            }
            return chinese(input, nsn, true);
        }
        if (digits.length() < 7 || digits.length() > E164_MAX_DIGITS) {
            throw new InvalidPhoneNumberException(input,
                    "has " + digits.length() + " digits after the country code prefix; E.164 allows 7 to 15");
        }
        return new PhoneNumber("+" + digits, PhoneNumber.Kind.INTERNATIONAL);
    }

    private static PhoneNumber trunkDialled(String input, String nsn) {
        if (isShortCode(nsn)) {
            throw new InvalidPhoneNumberException(input, "a short code is dialled without the trunk prefix 0");
        }
        return chinese(input, nsn, true);
    }

    private static PhoneNumber nationalWithoutPrefix(String input, String nsn) {
        if (isMobile(nsn)) {
            return new PhoneNumber("+86" + nsn, PhoneNumber.Kind.MOBILE);
        }
        if (isShortCode(nsn)) {
            return new PhoneNumber("+86" + nsn, PhoneNumber.Kind.SHORT_CODE);
        }
        if (nsn.startsWith("1")) {
            throw new InvalidPhoneNumberException(input, "has " + nsn.length()
                    + " digits; a mobile number has 11 starting 13-19, a short code 3 to 6,"
                    + " and a landline needs its area code (010-12345678)");
        }
        throw new InvalidPhoneNumberException(input,
                "a landline needs its area code, with the trunk prefix 0 (010-12345678) or +86");
    }

    private static PhoneNumber chinese(String input, String nsn, boolean areaCodeGiven) {
        if (isMobile(nsn)) {
            return new PhoneNumber("+86" + nsn, PhoneNumber.Kind.MOBILE);
        }
        if (isShortCode(nsn)) {
            return new PhoneNumber("+86" + nsn, PhoneNumber.Kind.SHORT_CODE);
        }
        if (areaCodeGiven && isLandline(nsn)) {
            return new PhoneNumber("+86" + nsn, PhoneNumber.Kind.LANDLINE);
        }
        if (nsn.startsWith("1") && !nsn.startsWith("10")) {
            throw new InvalidPhoneNumberException(input,
                    "has " + nsn.length() + " national digits; a mobile number has 11 starting 13-19");
        }
        throw new InvalidPhoneNumberException(input, "has " + nsn.length()
                + " national digits; a landline is an area code (10, 2x or 3-9xx) and a 7 or 8 digit number");
    }

    static boolean isMobile(String nsn) {
        return nsn.length() == 11 && nsn.charAt(0) == '1' && nsn.charAt(1) >= '3' && nsn.charAt(1) <= '9';
    }

    static boolean isShortCode(String nsn) {
        // 110/119/120/122, 12xxx government lines (12381, 12345), 10086-style carrier lines, 96xxx local
        // lines; 95 national service numbers have 5 to 8 digits (95588, 955xxx, 95xxxxxx).
        int n = nsn.length();
        if (n >= 5 && n <= 8 && nsn.startsWith("95")) {
            return true;
        }
        return n >= 3 && n <= 6 && (nsn.charAt(0) == '1' || nsn.charAt(0) == '9');
    }

    static boolean isLandline(String nsn) {
        int n = nsn.length();
        if (n == 0) {
            return false;
        }
        char first = nsn.charAt(0);
        if (nsn.startsWith("10") || first == '2') {
            return n == 10; // two-digit area code, eight-digit subscriber number
        }
        return first >= '3' && first <= '9' && (n == 10 || n == 11); // three-digit area code, 7 or 8 digits
    }

    /** Returns the user part of a sip:/sips:/tel: URI, or the input when it is not a URI. */
    private static String stripUri(String s) {
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        String lower = s.length() > 5 ? s.substring(0, 5).toLowerCase(java.util.Locale.ROOT) : s.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("tel:")) {
            s = s.substring(4);
        } else if (lower.startsWith("sips:")) {
            s = userPart(s.substring(5));
        } else if (lower.startsWith("sip:")) {
            s = userPart(s.substring(4));
        }
        int params = s.indexOf(';');
        return params >= 0 ? s.substring(0, params) : s;
    }

    private static String userPart(String afterScheme) {
        int at = afterScheme.indexOf('@');
        String user = at >= 0 ? afterScheme.substring(0, at) : afterScheme;
        int password = user.indexOf(':');
        return password >= 0 ? user.substring(0, password) : user;
    }

    /**
     * Keeps digits and a leading '+', drops visual separators (RFC 3966 §5.1.1), rejects anything else.
     * Full-width digits, plus and hyphen and the ideographic space (Chinese input methods type them)
     * count as their ASCII forms.
     */
    private static String digitsOf(String input, String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = halfWidth(s.charAt(i));
            if (c >= '0' && c <= '9') {
                out.append(c);
            } else if (c == '+' && out.length() == 0) {
                out.append(c);
            } else if (c == '%' && i + 2 < s.length() && s.regionMatches(true, i, "%2B", 0, 3) && out.length() == 0) {
                out.append('+');
                i += 2;
            } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\t' || c == '\u3000') {
                continue;
            } else {
                throw new InvalidPhoneNumberException(input, "contains '" + c + "', only digits, a leading + and separators are allowed");
            }
        }
        return out.toString();
    }

    private static char halfWidth(char c) {
        if (c >= '\uFF10' && c <= '\uFF19') {
            return (char) ('0' + (c - '\uFF10'));
        }
        return switch (c) {
            case '\uFF0B' -> '+';
            case '\uFF0D' -> '-';
            case '\uFF08' -> '(';
            case '\uFF09' -> ')';
            default -> c;
        };
    }
}
