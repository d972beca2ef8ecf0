package cn.antifraud.gateway.smpp.internal;

import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Message id spellings. SMSCs are known to answer submit_sm_resp with a hex id and report it in the
 * receipt in decimal, or the reverse (SMPP 3.4 leaves the format to the SMSC). A submitted id is indexed
 * once, normalised; a receipt's id is looked up as written first, then as the hex or decimal it may stand for.
 */
final class MessageIds {
    private MessageIds() {
    }

    /** Lower case without leading zeros, so "00A1" and "a1" meet. */
    static String normalise(String id) {
        String s = id.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }

    /** The spellings an id may stand for, as written (normalised) first. */
    static Set<String> spellings(String id) {
        String n = normalise(id);
        Set<String> out = new LinkedHashSet<>();
        out.add(n);
        if (!n.isEmpty() && n.length() <= 32 && n.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            out.add(new BigInteger(n, 16).toString(10));
        }
        if (!n.isEmpty() && n.length() <= 38 && n.chars().allMatch(Character::isDigit)) {
            out.add(new BigInteger(n, 10).toString(16));
        }
        return out;
    }
}
