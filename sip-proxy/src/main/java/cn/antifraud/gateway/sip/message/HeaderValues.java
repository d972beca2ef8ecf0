package cn.antifraud.gateway.sip.message;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a header value into its comma-separated elements (RFC 3261 §7.3.1), leaving commas inside
 * quoted strings and {@code <...>} URIs alone, and finds parameters. Works on ISO-8859-1 strings
 * over raw bytes, so element offsets are byte offsets.
 */
public final class HeaderValues {

    private HeaderValues() {
    }

    /** Start and end offsets (trimmed of linear white space) of each element of {@code value}. */
    public static List<int[]> split(String value) {
        return split(value, Integer.MAX_VALUE);
    }

    /**
     * The first {@code limit} elements of {@code value}, as {@link #split(String)} finds them; the scan
     * stops there, so reading the top Via of a long Via line does not walk the whole line.
     */
    public static List<int[]> split(String value, int limit) {
        List<int[]> out = new ArrayList<>(2);
        if (value.indexOf(',') < 0) {
            // Quotes and angle brackets only decide which commas separate: without a comma the value
            // is one element, found by the (vectorised) indexOf instead of a scan of every character.
            addTrimmed(out, value, 0, value.length());
            return out;
        }
        int start = 0;
        for (int comma = nextSeparator(value, 0, ','); comma >= 0; comma = nextSeparator(value, start, ',')) {
            addTrimmed(out, value, start, comma);
            if (out.size() >= limit) {
                return out;
            }
            start = comma + 1;
        }
        addTrimmed(out, value, start, value.length());
        return out;
    }

    /**
     * The index of the next {@code separator} at or after {@code from} that is outside quoted strings
     * (with their backslash escapes) and angle brackets, or -1. A separator is only ever found outside
     * both, so a scan may restart right after one with nothing to carry over.
     */
    static int nextSeparator(String s, int from, char separator) {
        boolean quoted = false;
        boolean angle = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                angle = true;
            } else if (c == '>') {
                angle = false;
            } else if (c == separator && !angle) {
                return i;
            }
        }
        return -1;
    }

    private static void addTrimmed(List<int[]> out, String s, int start, int end) {
        while (start < end && isLws(s.charAt(start))) {
            start++;
        }
        while (end > start && isLws(s.charAt(end - 1))) {
            end--;
        }
        if (end > start) {
            out.add(new int[] {start, end});
        }
    }

    static boolean isLws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** Replaces folding (CRLF followed by white space) with single spaces: the logical value. */
    public static String unfold(String value) {
        if (value.indexOf('\n') < 0) {
            return value;
        }
        return value.replaceAll("\\r?\\n[ \\t]+", " ");
    }

    /**
     * The value of parameter {@code name} in a {@code ;name=value} list (outside quotes and angle
     * brackets), {@code ""} for a parameter without a value, or {@code null} when absent.
     */
    public static String param(String element, String name) {
        return param(element, 0, name);
    }

    /**
     * {@code param(element, from, names[i])} for every name, in one pass over the parameter list:
     * each name gets the value of its first occurrence, as {@link #param(String, int, String)} would.
     */
    public static String[] params(String element, int from, String[] names) {
        String[] out = new String[names.length];
        int missing = names.length;
        for (int semi = nextSeparator(element, from, ';'); semi >= 0 && missing > 0;
             semi = nextSeparator(element, semi + 1, ';')) {
            for (int n = 0; n < names.length; n++) {
                if (out[n] == null) {
                    String found = paramAt(element, semi + 1, names[n]);
                    if (found != null) {
                        out[n] = found;
                        missing--;
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** As {@link #param(String, String)} over {@code element} from offset {@code from}: no substring needed. */
    public static String param(String element, int from, String name) {
        for (int semi = nextSeparator(element, from, ';'); semi >= 0; semi = nextSeparator(element, semi + 1, ';')) {
            String found = paramAt(element, semi + 1, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * {@code s.regionMatches(true, at, name, 0, name.length())} without its per-character case
     * mapping for ASCII, where parameter names live (RFC 3261 §25.1 token); other characters fall
     * back to the same mapping String uses.
     */
    static boolean regionMatchesIgnoreCase(String s, int at, String name) {
        int n = name.length();
        if (at < 0 || at > s.length() - n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(at + i);
            char w = name.charAt(i);
            if (c != w && !sameIgnoringCase(c, w)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameIgnoringCase(char c, char w) {
        if (c < 0x80 && w < 0x80) {
            return isAsciiLetter(c) && isAsciiLetter(w) && (c | 0x20) == (w | 0x20);
        }
        char u1 = Character.toUpperCase(c);
        char u2 = Character.toUpperCase(w);
        return u1 == u2 || Character.toLowerCase(u1) == Character.toLowerCase(u2);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String paramAt(String s, int from, String name) {
        int i = from;
        while (i < s.length() && isLws(s.charAt(i))) {
            i++;
        }
        if (!regionMatchesIgnoreCase(s, i, name)) {
            return null;
        }
        int j = i + name.length();
        while (j < s.length() && isLws(s.charAt(j))) {
            j++;
        }
        if (j >= s.length() || s.charAt(j) == ';' || s.charAt(j) == ',') {
            return "";
        }
        if (s.charAt(j) != '=') {
            return null;
        }
        j++;
        while (j < s.length() && isLws(s.charAt(j))) {
            j++;
        }
        if (j < s.length() && s.charAt(j) == '"') {
            int end = j + 1;
            while (end < s.length() && s.charAt(end) != '"') {
                end += s.charAt(end) == '\\' ? 2 : 1;
            }
            return s.substring(j + 1, Math.min(end, s.length()));
        }
        int end = j;
        while (end < s.length() && s.charAt(end) != ';' && !isLws(s.charAt(end))) {
            end++;
        }
        return s.substring(j, end);
    }
}
