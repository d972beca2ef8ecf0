package cn.antifraud.gateway.registry;

/** The outcome of a write: the record before (null when new) and after (null when deleted). */
public record Change<T>(T before, T after) {
    /** True when the write created the record. */
    public boolean created() {
        return before == null && after != null;
    }
}
