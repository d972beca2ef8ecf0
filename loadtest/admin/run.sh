#!/usr/bin/env bash
# Admin API figures for issue 13, against a real gateway (bin/gateway, its shaded jar) on loopback:
#
#   loadtest/admin/run.sh import ROWS [JDBC_URL]     time one CSV import of ROWS fraud numbers
#   loadtest/admin/run.sh isolation [ROWS] [SECONDS] [RUNS]
#                                                    /health latency while 8 slow clients trickle one
#                                                    byte every 3 s and 8 clients list 1,000 fraud
#                                                    numbers in a loop (ROWS listed, default 200000),
#                                                    RUNS measurements of SECONDS (default 1)
#
# JDBC_URL: a PostgreSQL database to import into (jdbc:postgresql://HOST:PORT/DB?user=U, empty, and
# not shared with anything else); without it the gateway's default H2 file in a temporary directory.
# Everything runs on 127.0.0.1 with ports chosen free; the gateway is stopped at the end (trap).
# Bounded: the import waits at most 30 min, the isolation run SECONDS (default 60).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

die() { echo "run.sh: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

mode=${1:-}
[ "$mode" = import ] || [ "$mode" = isolation ] || die "usage: run.sh import ROWS [JDBC_URL] | isolation [ROWS] [SECONDS] [RUNS]"
if [ "$mode" = import ]; then
  rows=${2:?rows}; url=${3:-}; seconds=0
else
  rows=${2:-200000}; url=""; seconds=${3:-60}; runs=${4:-1}
fi

work=$(mktemp -d /tmp/admin-bench.XXXXXX)
admin_port=$(free_port); cluster_port=$(free_port); sip_port=$(free_port)
if [ -n "$url" ]; then
  database="database:\n  url: \"$url\"\n  pool-size: 16"
else
  database="database:\n  pool-size: 16"
fi
sed -e "s|@DATA_DIR@|$work/data|; s|@ADMIN_PORT@|$admin_port|g; s|@CLUSTER_PORT@|$cluster_port|; s|@SIP_PORT@|$sip_port|; s|@REPO@|$ROOT|" \
    -e "s|@DATABASE@|$database|" loadtest/admin/gateway.yaml.in > "$work/gateway.yaml"

token="admin-bench-$RANDOM$RANDOM"
GATEWAY_ADMIN_TOKEN=$token GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:--Xmx2g}" bin/gateway --config "$work/gateway.yaml" > "$work/gateway.log" 2>&1 &
gw=$!
trap 'kill $gw 2>/dev/null; wait $gw 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$admin_port"
for _ in $(seq 1 600); do
  curl -s -o /dev/null "$base/health" && break
  kill -0 $gw 2>/dev/null || { cat "$work/gateway.log" >&2; die "the gateway did not start"; }
  sleep 0.5
done
curl -s -o /dev/null "$base/health" || die "the gateway did not answer within 300 s"

python3 - "$rows" > "$work/rows.csv" <<'PY'
import sys
rows = int(sys.argv[1])
out = sys.stdout
out.write("number,fraud_type,case_reference,expires,reject_calls\n")
for i in range(rows):
    out.write("171%08d,fake_loan,BENCH-%d,,false\n" % (i, i))
PY

# CPU seconds the gateway JVM has used (user + system), so a figure can be judged on a loaded machine.
cpu_seconds() { awk -v tck="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / tck }' "/proc/$gw/stat"; }

import_csv() {
  local started ended cpu0 cpu1
  cpu0=$(cpu_seconds)
  started=$(date +%s.%N)
  curl -sS --max-time 1800 -X POST --data-binary @"$work/rows.csv" -H 'Content-Type: text/csv' \
       -H "Authorization: Bearer $token" "$base/v1/fraud-numbers:import" > "$work/import.json"
  ended=$(date +%s.%N)
  cpu1=$(cpu_seconds)
  python3 - "$started" "$ended" "$rows" "$work/import.json" "$cpu0" "$cpu1" <<'PY'
import json, sys
started, ended, rows = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
r = json.load(open(sys.argv[4]))
cpu = float(sys.argv[6]) - float(sys.argv[5])
secs = ended - started
print("import: %d rows, stored %s, rejected %s, state %s, in %.1f s (%.0f rows/s); gateway JVM CPU %.1f s; id %s"
      % (rows, r.get("stored"), r.get("rejected"), r.get("state"), secs, rows / secs, cpu, r.get("id")))
PY
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

if [ "$mode" = import ]; then
  echo "database: ${url:-H2 file (default)}; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  import_csv
  exit 0
fi

import_csv
python3 loadtest/admin/isolation.py "$admin_port" "$token" "$seconds" "$runs"
grep -o 'admin_connections_cut_total{[^}]*} [0-9.]*' <(curl -s "$base/metrics") || true
