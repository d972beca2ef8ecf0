#!/usr/bin/env bash
# Reload benchmark: 10 million fraud numbers in PostgreSQL, reloaded through the JDBC MapStore the way
# Hazelcast's EAGER initial load does it (loadAllKeys streamed, loadAll per partition batch).
#
#   loadtest/registry-reload/run.sh [store|hazelcast] [rows=10000000] [runs=3] [threads=4] [batch=1000] [url=jdbc:postgresql://...]
#
# store (default): the MapStore driven directly, as Hazelcast drives it (no member, values discarded).
# hazelcast: a real one-member registry cluster (RegistryMember, EAGER load) over the same table;
#            run 'store' first, which fills the table.
#
# Without url= it starts the throwaway server of scripts/postgres-test-server.sh (and stops it at the
# end) and uses a database 'registry_bench' on it. The first run fills the table by COPY (about a
# minute, 1.5 GB on disk); later runs reuse it while the row count matches. Figures: docs/registry-benchmarks-reload.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

main=cn.antifraud.gateway.registry.jdbc.ReloadBenchmark
heap=2g
case "${1:-}" in
  store) shift ;;
  hazelcast) shift; main=cn.antifraud.gateway.registry.jdbc.HazelcastReloadBenchmark; heap=6g ;;
esac
args=("$@")
url=""
for a in "$@"; do
  case "$a" in url=*) url="${a#url=}" ;; esac
done

started=0
if [ -z "$url" ]; then
  if ! scripts/postgres-test-server.sh url >/dev/null 2>&1; then
    # A bigger buffer cache than the default 128 MB: the 10M-row table is about 1.2 GB.
    PG_TEST_SERVER_OPTS="${PG_TEST_SERVER_OPTS:--c shared_buffers=1GB}" scripts/postgres-test-server.sh start >/dev/null
    started=1
  fi
  base="$(scripts/postgres-test-server.sh url)"
  port="$(echo "$base" | sed -E 's#.*://127.0.0.1:([0-9]+)/.*#\1#')"
  psql_as=(psql -h 127.0.0.1 -p "$port" -U postgres -tAq)
  if ! "${psql_as[@]}" -c "SELECT 1 FROM pg_database WHERE datname='registry_bench'" postgres | grep -q 1; then
    "${psql_as[@]}" -c "CREATE DATABASE registry_bench" postgres
  fi
  url="${base/\/registry\?/\/registry_bench?}"
  args+=("url=$url")
fi
cleanup() { if [ "$started" = 1 ]; then scripts/postgres-test-server.sh stop; fi; }
trap cleanup EXIT

mvn -B -q -o -pl number-registry -am test-compile
cp_file="$ROOT/number-registry/target/bench-classpath.txt"
mvn -B -q -pl number-registry org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# The --add-opens are the ones Hazelcast asks for at startup (it runs slower without them).
# JAVA_OPTS adds to or overrides the heap settings, e.g. JAVA_OPTS="-Xms6g"; GC_OPTS replaces the collector
# settings (default: Parallel, entries promoted at their first young collection, since every loaded
# entry lives until the member stops; GC_OPTS="-XX:+UseG1GC" measures the default collector).
# shellcheck disable=SC2086
java -Xmx$heap ${GC_OPTS:--XX:+UseParallelGC -XX:MaxTenuringThreshold=0} ${JAVA_OPTS:-} -Xlog:gc:file="$ROOT/number-registry/target/reload-gc.log" \
  --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED \
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
  -cp "$ROOT/number-registry/target/test-classes:$ROOT/number-registry/target/classes:$(cat "$cp_file")" \
  "$main" "${args[@]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
