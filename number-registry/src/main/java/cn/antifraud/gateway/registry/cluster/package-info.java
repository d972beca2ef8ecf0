/**
 * The number registry on embedded Hazelcast members: {@link cn.antifraud.gateway.registry.cluster.RegistryConfig}
 * (TCP-IP join, no multicast), {@link cn.antifraud.gateway.registry.cluster.RegistryMember} (maps written
 * through to {@link cn.antifraud.gateway.registry.store.RegistryStores}),
 * {@link cn.antifraud.gateway.registry.cluster.HazelcastNumberRegistry} (audited writes, non-blocking
 * near-cache lookups) and {@link cn.antifraud.gateway.registry.cluster.HazelcastContactEventLog}.
 *
 * <p>Hazelcast Community Edition has no TLS and no member authentication: anyone who can reach the
 * member port can join the cluster and read or change every map. Members must bind to a private
 * interface of the signalling network (or loopback), never to a public one.
 */
package cn.antifraud.gateway.registry.cluster;
