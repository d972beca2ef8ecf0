#!/bin/sh
# SMPP benchmark: the gateway against Cloudhopper's SMSC on loopback, beside a plain synchronous jsmpp client.
# Usage: loadtest/smpp/run.sh [runs=3] [binds=4] [window=10] [tps=100] [tpsSeconds=10] [warnings=10000]
#                             [latencyWarnings=2000] [latencyRate=200]
# Bounded: every phase has a fixed message count and a deadline; the SMSC and the Hazelcast member it
# starts listen on 127.0.0.1 ports chosen at run time and stop with the JVM.
set -eu
cd "$(dirname "$0")/../.."
mvn -B -q -o -pl smpp-gateway -am test-compile -DskipTests
mvn -B -q -o -pl smpp-gateway dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/smpp-bench.cp >/dev/null
CP="smpp-gateway/target/test-classes:smpp-gateway/target/classes:$(cat smpp-gateway/target/smpp-bench.cp)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Xmx2g -Dhazelcast.phone.home.enabled=false -Dlogback.configurationFile=loadtest/smpp/logback-bench.xml \
  -cp "$CP" cn.antifraud.gateway.smpp.SmppBenchmark "$@"
