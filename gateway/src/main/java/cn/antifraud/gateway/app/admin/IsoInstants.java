package cn.antifraud.gateway.app.admin;

import java.time.Instant;

/**
 * Writes an {@link Instant} as {@link Instant#toString()} does (ISO-8601, UTC, {@code Z}; a fraction of
 * 3, 6 or 9 digits only when non-zero), into a caller's {@code char[]} without allocating. A listing page
 * has two instants per row, and {@code Instant.toString} allocates a {@code LocalDateTime}, boxed fields
 * and a builder for each: at 1,000 rows a page that was most of what a listing allocated, and the young
 * collections it caused were the pauses {@code /health} waited for (issue 13).
 *
 * <p>The date is computed from the epoch day by the proleptic Gregorian civil-from-days algorithm
 * (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"); years outside 0000 to 9999, which
 * {@code toString} writes with a sign or more digits, fall back to {@code toString}.
 */
final class IsoInstants {
    /** Longest output: {@link Instant#MAX}, {@code +1000000000-12-31T23:59:59.999999999Z}. */
    static final int MAX_CHARS = 40;

    private static final long SECONDS_PER_DAY = 86_400;

    private IsoInstants() {
    }

    /** Writes {@code i} into {@code out} from index 0 and returns the length. */
    static int write(Instant i, char[] out) {
        long seconds = i.getEpochSecond();
        long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        // civil_from_days: days since 1970-01-01 to year, month, day.
        long z = day + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int dayOfMonth = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            String s = i.toString();
            s.getChars(0, s.length(), out, 0);
            return s.length();
        }
        digits(out, 0, (int) year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, dayOfMonth, 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        int n = 19;
        int nano = i.getNano();
        if (nano != 0) {
            out[n++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(out, n, nano / 1_000_000, 3);
                n += 3;
            } else if (nano % 1_000 == 0) {
                digits(out, n, nano / 1_000, 6);
                n += 6;
            } else {
                digits(out, n, nano, 9);
                n += 9;
            }
        }
        out[n++] = 'Z';
        return n;
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int k = at + width - 1; k >= at; k--) {
            out[k] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
