package cn.antifraud.gateway.sip.proxy;

import java.text.Normalizer;

/**
 * Folds a display name to the form protected names are compared in, so that the evasions a handset
 * would still show as the same words compare equal (issue 10):
 * <ol>
 *   <li>Unicode NFKC (UAX #15): full-width and half-width forms, circled and parenthesised digits
 *       (① → 1), compatibility ideographs. Only names outside ASCII and the CJK Unified Ideographs
 *       block need it (those two are NFKC-stable), so the usual name skips the JDK normaliser.</li>
 *   <li>Only letters and digits are kept: white space, zero-width and other format characters,
 *       punctuation and symbols are dropped ({@code 国家 反\u200B诈·中心} → 国家反诈中心).</li>
 *   <li>Every decimal digit becomes its ASCII digit; Chinese numerals (一 壹 幺 … 〇 零) and the
 *       Latin look-alikes o/O → 0, l/I/i → 1 do too, so ９６１１０, 九六一一零 and 9611O all read 96110.</li>
 *   <li>Traditional characters of the protected vocabulary become simplified (詐 → 诈, 國 → 国, …):
 *       a small table of the characters police and anti-fraud names use, not a general converter.</li>
 *   <li>Letters are lower-cased.</li>
 * </ol>
 * Display names arrive as ISO-8859-1 views over UTF-8 bytes (as {@code SipMessage} keeps them); the
 * bytes are decoded here on the fly, so the hot path allocates one array the size of the name.
 */
final class DisplayNameNormaliser {
    /** Traditional → simplified for the characters of police and anti-fraud names; pairs, traditional first. */
    private static final String TRADITIONAL_SIMPLIFIED =
            "詐诈國国騙骗電电偵侦檢检網网衛卫廳厅機机關关處处隊队監监獄狱紀纪會会員员專专線线熱热報报辦办總总區区縣县鄉乡鎮镇廣广東东蘇苏門门慶庆漢汉龍龙"
            + "陽阳長长黨党軍军審审訊讯調调護护務务術术資资據据證证號号碼码聯联繫系絡络鐵铁寧宁遼辽閩闽贛赣瀋沈濱滨圖图書书實实驗验";
    private static final char[] SIMPLIFIED = new char[0x10000];
    /** Chinese numerals (and the 幺 of spoken phone numbers) → ASCII digit. */
    private static final String NUMERALS = "〇0零0○0一1壹1幺1二2贰2貳2两2兩2三3叁3參3四4肆4五5伍5六6陆6陸6七7柒7八8捌8九9玖9";

    static {
        for (int i = 0; i + 1 < TRADITIONAL_SIMPLIFIED.length(); i += 2) {
            SIMPLIFIED[TRADITIONAL_SIMPLIFIED.charAt(i)] = TRADITIONAL_SIMPLIFIED.charAt(i + 1);
        }
        for (int i = 0; i + 1 < NUMERALS.length(); i += 2) {
            SIMPLIFIED[NUMERALS.charAt(i)] = NUMERALS.charAt(i + 1);
        }
        // Cyrillic and Greek capitals and small letters that look like O and I.
        for (char c : "ОоΟο".toCharArray()) {
            SIMPLIFIED[c] = '0';
        }
        for (char c : "ІіΙ".toCharArray()) {
            SIMPLIFIED[c] = '1';
        }
    }

    private DisplayNameNormaliser() {
    }

    /** The normalised form of ordinary (UTF-16) text: a protected term or a registered name. */
    static String normalise(String text) {
        String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
        char[] out = new char[nfkc.length()];
        char[] in = nfkc.toCharArray();
        int n = fold(in, in.length, out, Integer.MAX_VALUE);
        return new String(out, 0, n);
    }

    /**
     * Normalises a display name given as ISO-8859-1 text over its UTF-8 bytes (a {@code SipMessage}
     * view); returns the folded characters, at most {@code limit} of them (folding stops there: the
     * rest would not be searched), in a new array of exactly their number.
     */
    static char[] normaliseUtf8(String latin1, int limit) {
        char[] decoded = new char[latin1.length()];
        int n = decodeUtf8(latin1, decoded);
        if (!nfkcStable(decoded, n)) {
            String nfkc = Normalizer.normalize(new String(decoded, 0, n), Normalizer.Form.NFKC);
            decoded = nfkc.toCharArray();
            n = decoded.length;
        }
        // Folding only removes or replaces characters one for one (except supplementary letters,
        // kept as their two chars), so it can run in place.
        int len = fold(decoded, n, decoded, limit);
        if (len == decoded.length) {
            return decoded;
        }
        char[] exact = new char[len];
        System.arraycopy(decoded, 0, exact, 0, len);
        return exact;
    }

    /** UTF-8 bytes (one per char of {@code latin1}) to UTF-16; malformed sequences become U+FFFD (dropped later). */
    private static int decodeUtf8(String latin1, char[] out) {
        int n = 0;
        int len = latin1.length();
        for (int i = 0; i < len; ) {
            int b = latin1.charAt(i) & 0xff;
            int cp;
            int extra;
            if (b < 0x80) {
                cp = b;
                extra = 0;
            } else if (b >= 0xc2 && b < 0xe0) {
                cp = b & 0x1f;
                extra = 1;
            } else if (b >= 0xe0 && b < 0xf0) {
                cp = b & 0x0f;
                extra = 2;
            } else if (b >= 0xf0 && b < 0xf5) {
                cp = b & 0x07;
                extra = 3;
            } else {
                out[n++] = '\uFFFD';
                i++;
                continue;
            }
            int j = i + 1;
            for (int k = 0; k < extra; k++, j++) {
                int c = j < len ? latin1.charAt(j) & 0xff : 0;
                if ((c & 0xc0) != 0x80) {
                    cp = -1;
                    break;
                }
                cp = (cp << 6) | (c & 0x3f);
            }
            if (cp < 0 || (extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff))
                    || (cp >= 0xd800 && cp <= 0xdfff)) {
                out[n++] = '\uFFFD';
                i++;
                continue;
            }
            if (cp >= 0x10000) {
                // Four bytes in, two chars out: never more chars than bytes.
                out[n++] = Character.highSurrogate(cp);
                out[n++] = Character.lowSurrogate(cp);
            } else {
                out[n++] = (char) cp;
            }
            i = j;
        }
        return n;
    }

    /** ASCII and the CJK Unified Ideographs block are unchanged by NFKC; anything else may not be. */
    private static boolean nfkcStable(char[] s, int n) {
        for (int i = 0; i < n; i++) {
            char c = s[i];
            if (c >= 0x80 && (c < 0x4e00 || c > 0x9fff)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Steps 2 to 5 of the class comment over {@code s[0, len)}, written to {@code out}, which may be
     * {@code s} itself (the write position never passes the read position), until {@code limit}
     * characters are written (one more when the last is a supplementary letter); returns the length.
     */
    private static int fold(char[] s, int len, char[] out, int limit) {
        int n = 0;
        for (int i = 0; i < len && n < limit; ) {
            int cp = Character.codePointAt(s, i, len);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                char c = (char) cp;
                if (c >= '0' && c <= '9') {
                    out[n++] = c;
                } else if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
                    c = (char) (c | 0x20);
                    out[n++] = c == 'o' ? '0' : c == 'l' || c == 'i' ? '1' : c;
                }
                continue;
            }
            if (cp < 0x10000 && SIMPLIFIED[cp] != 0) {
                out[n++] = SIMPLIFIED[cp];
            } else if (Character.isDigit(cp)) {
                out[n++] = (char) ('0' + Character.digit(cp, 10));
            } else if (Character.isLetterOrDigit(cp)) {
                int lower = Character.toLowerCase(cp);
                if (lower < 0x10000) {
                    out[n++] = (char) lower;
                } else {
                    n += Character.toChars(lower, out, n);
                }
            }
        }
        return n;
    }
}
