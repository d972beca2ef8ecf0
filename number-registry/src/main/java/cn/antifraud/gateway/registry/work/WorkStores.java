package cn.antifraud.gateway.registry.work;

/**
 * Where work stores come from: the registry member, which declared each store's {@link WorkStoreSpec}
 * in its cluster configuration when it started.
 */
public interface WorkStores {

    /**
     * The store of {@code spec}.
     *
     * @throws IllegalArgumentException when the member was not started with this spec
     */
    <V> WorkStore<V> open(WorkStoreSpec<V> spec);

    /**
     * A number that changes whenever the records this member owns ({@link WorkStore#localKeys}) may have changed
     * hands: a member joined or left, a partition migrated or a backup was promoted. A pass over local records
     * that must see every one (an index repair) runs again when it changed. Constant for stores that never move.
     */
    default long ownershipVersion() {
        return 0;
    }
}
