package cn.antifraud.gateway.sip.proxy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The names no display name may imitate on a call the gateway did not brand: the configured terms
 * ({@code sip.protected-terms}) and every card name and agency in the registry. Each is stored in
 * its {@link DisplayNameNormaliser normalised} form, and a display name matches when its normalised
 * form contains one of them as a substring. A protected name that starts or ends with a digit only
 * matches where the display name has no digit right before or after it, so 96110 is found in
 * 反诈96110 but not in the number 13896110123 shown as a name.
 *
 * <p>Cost per display name: one pass per distinct name length with a rolling hash (the windows of
 * one length are hashed in O(1) each) and an open-addressing table lookup; nothing is allocated.
 * The registry's names are swapped in whole ({@link #registeredNames}) by a background refresh,
 * never read from the registry per INVITE.
 *
 * <p>Thread-safe: the table is immutable and published through a volatile field.
 */
public final class ProtectedNames {
    /** Names shorter than this once normalised are not protected: they would hit ordinary names. */
    public static final int MIN_LENGTH = 2;
    /**
     * A display name is searched in its first this many normalised characters: no handset shows
     * more, and it bounds the work a hostile 8 KiB display name can cause.
     */
    public static final int MAX_SCANNED = 256;

    private final Map<String, String> configured;
    private volatile Table table;

    /** {@code terms}: the configured protected terms, each valid per {@link #termProblem}. */
    public ProtectedNames(Collection<String> terms) {
        this.configured = new LinkedHashMap<>();
        for (String t : terms) {
            String problem = termProblem(t);
            if (problem != null) {
                throw new IllegalArgumentException("protected term '" + t + "' " + problem);
            }
            configured.putIfAbsent(DisplayNameNormaliser.normalise(t), t);
        }
        this.table = new Table(configured, Map.of());
    }

    /** Why {@code term} cannot be a protected term, or null when it can. */
    public static String termProblem(String term) {
        if (term == null || term.isBlank()) {
            return "is blank";
        }
        if (DisplayNameNormaliser.normalise(term).length() < MIN_LENGTH) {
            return "has fewer than " + MIN_LENGTH + " letters or digits";
        }
        return null;
    }

    /**
     * Replaces the registry's names (card names and agencies, revoked ones included: a revoked police
     * name is still a police name). Names too short to protect are skipped. Called off the event loop.
     *
     * @return how many distinct names are protected now, configured terms included
     */
    public int registeredNames(Collection<String> names) {
        Map<String, String> registered = new LinkedHashMap<>();
        for (String name : names) {
            if (name == null) {
                continue;
            }
            String normalised = DisplayNameNormaliser.normalise(name);
            if (normalised.length() >= MIN_LENGTH && !configured.containsKey(normalised)) {
                registered.putIfAbsent(normalised, name);
            }
        }
        Table t = new Table(configured, registered);
        table = t;
        return t.size();
    }

    /** The longest protected name in a normalised display name, or null. */
    Match find(char[] normalised) {
        return table.find(normalised);
    }

    /** A protected name found in a display name; {@code registered}: from the registry, else a configured term. */
    record Match(String name, boolean registered) {
        /** The metric tag and log word for why the name was neutralised. */
        String reason() {
            return registered ? "registered_name" : "protected_term";
        }
    }

    /** An immutable open-addressing table of normalised names, probed by rolling window hashes. */
    private static final class Table {
        private static final int BASE = 31;

        private final char[][] keys;
        private final Match[] matches;
        private final int[] slots;
        private final int mask;
        /** Distinct key lengths, longest first (the longest, most specific, match wins), with BASE^(length-1). */
        private final int[] lengths;
        private final int[] topPowers;

        Table(Map<String, String> configured, Map<String, String> registered) {
            List<char[]> k = new ArrayList<>();
            List<Match> m = new ArrayList<>();
            configured.forEach((normalised, original) -> {
                k.add(normalised.toCharArray());
                m.add(new Match(original, false));
            });
            registered.forEach((normalised, original) -> {
                k.add(normalised.toCharArray());
                m.add(new Match(original, true));
            });
            keys = k.toArray(new char[0][]);
            matches = m.toArray(new Match[0]);
            int capacity = Integer.highestOneBit(Math.max(4, keys.length * 3)) << 1;
            slots = new int[capacity];
            mask = capacity - 1;
            TreeSet<Integer> distinct = new TreeSet<>();
            for (int i = 0; i < keys.length; i++) {
                distinct.add(keys[i].length);
                int slot = mix(hash(keys[i], 0, keys[i].length)) & mask;
                while (slots[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = i + 1;
            }
            lengths = distinct.descendingSet().stream().mapToInt(Integer::intValue).toArray();
            topPowers = new int[lengths.length];
            for (int i = 0; i < lengths.length; i++) {
                int p = 1;
                for (int j = 1; j < lengths[i]; j++) {
                    p *= BASE;
                }
                topPowers[i] = p;
            }
        }

        int size() {
            return keys.length;
        }

        Match find(char[] s) {
            int n = Math.min(s.length, MAX_SCANNED);
            for (int li = 0; li < lengths.length; li++) {
                int len = lengths[li];
                if (len > n) {
                    continue;
                }
                int h = hash(s, 0, len);
                for (int start = 0; ; start++) {
                    int found = lookup(h, s, start, len, n);
                    if (found >= 0) {
                        return matches[found];
                    }
                    if (start + len >= n) {
                        break;
                    }
                    h = (h - s[start] * topPowers[li]) * BASE + s[start + len];
                }
            }
            return null;
        }

        private int lookup(int h, char[] s, int start, int len, int n) {
            for (int slot = mix(h) & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
                int i = slots[slot] - 1;
                if (equal(keys[i], s, start, len) && atDigitBoundary(keys[i], s, start, len, n)) {
                    return i;
                }
            }
            return -1;
        }

        private static boolean equal(char[] key, char[] s, int start, int len) {
            if (key.length != len) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                if (key[i] != s[start + i]) {
                    return false;
                }
            }
            return true;
        }

        /** A name starting (ending) with a digit must not continue a run of digits before (after) it. */
        private static boolean atDigitBoundary(char[] key, char[] s, int start, int len, int n) {
            boolean before = isDigit(key[0]) && start > 0 && isDigit(s[start - 1]);
            boolean after = isDigit(key[len - 1]) && start + len < n && isDigit(s[start + len]);
            return !before && !after;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static int hash(char[] s, int from, int len) {
            int h = 0;
            for (int i = from; i < from + len; i++) {
                h = h * BASE + s[i];
            }
            return h;
        }

        private static int mix(int h) {
            h *= 0x9E3779B9;
            return h ^ (h >>> 16);
        }
    }
}
