#!/usr/bin/env bash
# CPU cost of signing branded INVITEs (RFC 8224 Identity, RFC 9795 rcd PASSporT), in process:
# loadtest/identity/SigningCostBench.java through the real proxy core, without and with the signer,
# plus one signature and one verification alone; medians of ROUNDS alternating rounds.
#
#   bench-signing.sh [ROUNDS (default 7)] [OPERATIONS per round (default 20000)]
#
# Builds sip-proxy's classes and test classes (offline Maven, no install), then runs the harness
# with the module's test class path from sip-proxy/ (the test material comes from make-test-cert.sh).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
cd "$repo"
mvn -B -q -o -pl sip-proxy -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
cd "$repo/sip-proxy"
exec java -Xmx512m -cp "target/test-classes:target/classes:$repo/number-registry/target/classes:$(cat "$cp_file")" \
  "$repo/loadtest/identity/SigningCostBench.java" "$@"
