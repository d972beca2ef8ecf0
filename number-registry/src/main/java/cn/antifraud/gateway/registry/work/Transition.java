package cn.antifraud.gateway.registry.work;

/**
 * A pure function from a record as stored to the record to store and an answer for the caller.
 * {@link WorkStore#update} applies it under compare-and-set: when another writer changed the record
 * meanwhile, it is applied again to the fresh value, so it must have no side effects.
 *
 * @param <V> the record type
 * @param <R> the answer
 */
@FunctionalInterface
public interface Transition<V, R> {

    /** @param current the record as stored, or null when there is none */
    Result<V, R> apply(V current);

    /**
     * @param next      the record to store; the very {@code current} instance to write nothing, null to keep
     *                  the key absent (only when {@code current} was null)
     * @param answer    what {@link WorkStore#update} returns
     * @param journaled whether a durable store writes the change to the database before {@code update}
     *                  returns; false only for a change that may be lost in a whole-cluster restart without
     *                  harm (a lease: its owner is gone too), and only when an existing record is replaced.
     *                  The next journaled write of the key carries it (its version is higher).
     */
    record Result<V, R>(V next, R answer, boolean journaled) {
        public Result(V next, R answer) {
            this(next, answer, true);
        }

        public static <V, R> Result<V, R> unchanged(V current, R answer) {
            return new Result<>(current, answer);
        }

        /** A change kept in cluster memory only (see {@code journaled}). */
        public static <V, R> Result<V, R> inMemoryOnly(V next, R answer) {
            return new Result<>(next, answer, false);
        }
    }
}
