package cn.antifraud.gateway.registry;

/**
 * The outcome of a write: the record before (null when new) and after (null when deleted). A put of
 * a record equal to the stored one is {@linkplain #unchanged() unchanged}: nothing was written and
 * nothing audited, and {@code before} and {@code after} are both the stored record.
 */
public record Change<T>(T before, T after) {
    /** The outcome of a put that found the same record stored: no write, no audit record. */
    public static <T> Change<T> unchanged(T stored) {
        return new Change<>(stored, stored);
    }

    /** True when the write created the record. */
    public boolean created() {
        return before == null && after != null;
    }

    /** True when nothing changed: the record was already stored as it is (an identical put is a no-op). */
    public boolean unchanged() {
        return before != null && before.equals(after);
    }
}
