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
     * @param next   the record to store; the very {@code current} instance to write nothing, null to keep
     *               the key absent (only when {@code current} was null)
     * @param answer what {@link WorkStore#update} returns
     */
    record Result<V, R>(V next, R answer) {
        public static <V, R> Result<V, R> unchanged(V current, R answer) {
            return new Result<>(current, answer);
        }
    }
}
