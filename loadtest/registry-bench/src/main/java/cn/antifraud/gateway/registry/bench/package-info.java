/**
 * Benchmarks of the number registry, run by hand (see docs/registry-benchmarks.md): JMH near-cache
 * lookups ({@link cn.antifraud.gateway.registry.bench.NearCacheLookupBenchmark}) and the heap a member
 * needs per fraud number ({@link cn.antifraud.gateway.registry.bench.HeapPerEntry}).
 */
package cn.antifraud.gateway.registry.bench;
