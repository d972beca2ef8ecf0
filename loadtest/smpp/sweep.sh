#!/bin/sh
# Sweep benchmark: an idle gateway's CPU per second while it keeps many final jobs (smpp.job-retention),
# every pass reading every job (the behaviour before the open-jobs index) against the open-jobs index.
# Usage: loadtest/smpp/sweep.sh [kept=200000] [seconds=20] [runs=3] [open=0]  (open: jobs waiting for a retry an hour away)
# One JVM: a Hazelcast member (cluster memory, no database) on a 127.0.0.1 port chosen at run time, the
# node-smpp SMSC (loadtest/smsc-sim, stops with its 20-minute lifetime at the latest) and one gateway per run.
set -eu
cd "$(dirname "$0")/../.."
mvn -B -q -pl smpp-gateway -am test-compile -DskipTests
mvn -B -q -pl smpp-gateway dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/smpp-bench.cp >/dev/null
CP="smpp-gateway/target/test-classes:smpp-gateway/target/classes:number-registry/target/classes:$(cat smpp-gateway/target/smpp-bench.cp)"
echo "cpu: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Xmx4g ${JAVA_OPTS:-} -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 -Dhazelcast.phone.home.enabled=false \
  -Dlogback.configurationFile=loadtest/smpp/logback-bench.xml -cp "$CP" cn.antifraud.gateway.smpp.SweepBenchmark "$@"
