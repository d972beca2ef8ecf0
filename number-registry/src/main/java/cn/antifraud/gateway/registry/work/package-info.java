/**
 * Durable work stores: the typed records other components queue and update (SMS jobs, warnings,
 * receipt index) with one encoding each, compare-and-set transitions, time-to-live, locally owned key
 * iteration and batched write-through. Callers see {@link cn.antifraud.gateway.registry.work.WorkStore}
 * and {@link cn.antifraud.gateway.registry.work.WorkStores}; Hazelcast and JDBC stay inside the registry.
 */
package cn.antifraud.gateway.registry.work;
