#!/bin/sh
# SMPP benchmark: the gateway against Cloudhopper's SMSC on loopback, beside a plain synchronous jsmpp client.
# Usage: loadtest/smpp/run.sh [runs=3] [binds=4] [window=10] [tps=100] [tpsSeconds=10] [warnings=10000]
#                             [latencyWarnings=2000] [latencyRate=200] [db=postgres|jdbc:postgresql://...]
# db=postgres: the member writes its durable maps (jobs, message-id index, warnings) through to the
# throwaway PostgreSQL of scripts/postgres-test-server.sh (database smpp_bench, emptied at each run),
# as the gateway does; without db= the maps are in memory only.
# Bounded: every phase has a fixed message count and a deadline; the SMSC and the Hazelcast member it
# starts listen on 127.0.0.1 ports chosen at run time and stop with the JVM.
set -eu
cd "$(dirname "$0")/../.."
mvn -B -q -pl smpp-gateway -am test-compile -DskipTests
mvn -B -q -pl smpp-gateway dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/smpp-bench.cp >/dev/null
args=""
for a in "$@"; do
  if [ "$a" = "db=postgres" ]; then
    scripts/postgres-test-server.sh url >/dev/null 2>&1 || scripts/postgres-test-server.sh start >/dev/null
    base="$(scripts/postgres-test-server.sh url)"
    port="$(echo "$base" | sed -E 's#.*://127.0.0.1:([0-9]+)/.*#\1#')"
    if ! psql -h 127.0.0.1 -p "$port" -U postgres -tAq -c "SELECT 1 FROM pg_database WHERE datname='smpp_bench'" postgres | grep -q 1; then
      psql -h 127.0.0.1 -p "$port" -U postgres -tAq -c "CREATE DATABASE smpp_bench" postgres
    fi
    a="db=$(echo "$base" | sed 's#/registry?#/smpp_bench?#')"
  fi
  args="$args $a"
done
# number-registry's classes from this checkout first: dependency:build-classpath run with -pl smpp-gateway
# resolves number-registry from the local Maven repository, i.e. whatever jar was last installed there,
# which need not be the code being measured (the registry's MapStores are on the db= path).
CP="smpp-gateway/target/test-classes:smpp-gateway/target/classes:number-registry/target/classes:$(cat smpp-gateway/target/smpp-bench.cp)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# The common fork-join pool as the gateway sizes it (CommonPoolSize: at least 2 threads). Without it, on 2 cores
# Hazelcast starts a thread for each callback of its futures, and this benchmark measured thread starts (2026-12-03:
# 600-1,000 submit_sm/s instead of 2,900 in one run each).
pool=$(( $(nproc) - 1 )); [ "$pool" -ge 2 ] || pool=2
exec java -Xmx2g -Djava.util.concurrent.ForkJoinPool.common.parallelism=$pool ${JAVA_OPTS:-} -Dhazelcast.phone.home.enabled=false -Dlogback.configurationFile=loadtest/smpp/logback-bench.xml \
  -cp "$CP" cn.antifraud.gateway.smpp.SmppBenchmark $args
