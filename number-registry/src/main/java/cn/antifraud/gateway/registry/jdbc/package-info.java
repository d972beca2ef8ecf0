/**
 * JDBC implementation of {@link cn.antifraud.gateway.registry.store.RegistryStores}: write-through
 * Hazelcast {@code MapStore}s over typed tables (warning numbers, fraud numbers, family contacts), one
 * table of JSON rows for the {@code durable.*} work maps, and the append-only audit log.
 *
 * <p>One schema serves both databases the design allows: an embedded H2 file for a single node and a
 * PostgreSQL server shared by every member of a cluster. The schema is versioned
 * ({@link cn.antifraud.gateway.registry.jdbc.SchemaMigrator}); SQL that differs between the two is
 * confined to {@link cn.antifraud.gateway.registry.jdbc.SqlDialect}.
 */
package cn.antifraud.gateway.registry.jdbc;
