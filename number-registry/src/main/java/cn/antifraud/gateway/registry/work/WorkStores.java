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
}
