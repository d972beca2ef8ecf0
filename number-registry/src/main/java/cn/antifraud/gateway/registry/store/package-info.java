/**
 * The seam between the Hazelcast cluster and the database: write-through {@code MapStore}s for each
 * registry map, a generic store for durable work maps ({@code durable.*}), and the audit log. The
 * JDBC implementation lives in {@code cn.antifraud.gateway.registry.jdbc}.
 */
package cn.antifraud.gateway.registry.store;
