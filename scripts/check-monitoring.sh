#!/usr/bin/env bash
# Checks the shipped monitoring (config/monitoring/): the alert rules with `promtool check rules` and
# their unit tests with `promtool test rules` (config/monitoring/tests/), then every metric name in the
# rules and in the Grafana dashboard against the GET /metrics of a live gateway. The gateway is started
# here on free loopback ports with the node-smpp SMSC simulator (and a second SMSC that never answers),
# and driven until its counters exist: a police call (branded), an impostor call (spoof stripped), a
# call from a listed fraud number, an INVITE to a dead next hop (drop), a malformed request (parse
# error, 400) and a police warning (SMS submitted and receipted). Any name the rules or the dashboard
# use that the gateway does not export fails the check, naming it.
#
# Installs Debian `prometheus` (for promtool), SIPp and the simulator's npm package when missing
# (needs root for apt-get). About a minute on an idle machine. Exit 0 when all passes.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/kit/lib.sh
MON=${MONITORING_DIR:-config/monitoring}   # another folder of the same layout, e.g. to see the check fail
# Series that Prometheus makes itself for every target, not the gateway.
PROMETHEUS_OWN="up"

command -v promtool >/dev/null || { echo "check-monitoring: installing prometheus (for promtool)"; apt_install prometheus; }
python3 -c 'import yaml' 2>/dev/null || apt_install python3-yaml
bash scripts/install-test-deps.sh

python3 scripts/kit/metric_names.py selftest
echo "== promtool check rules"
promtool check rules "$MON/alerts.yml"
echo "== promtool test rules"
(cd "$MON/tests" && promtool test rules ./*.yml)

WORK=$(mktemp -d /tmp/check-monitoring.XXXXXX)
SMSC_PID="" GATEWAY_PID=""
cleanup() {
  stop_pid "$GATEWAY_PID"
  stop_pid "$SMSC_PID"
  if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

python3 scripts/kit/metric_names.py rules "$MON/alerts.yml" >"$WORK/rules.names"
python3 scripts/kit/metric_names.py dashboard "$MON/grafana-dashboard.json" >"$WORK/dashboard.names"
sort -u "$WORK/rules.names" "$WORK/dashboard.names" | grep -vxF -f <(tr ' ' '\n' <<<"$PROMETHEUS_OWN") >"$WORK/wanted" || true
echo "== $(wc -l <"$WORK/wanted") metric names in the rules and the dashboard, against a live gateway"

smsc_start "$WORK"
write_node_config "$WORK" "$SMSC_PORT" with-dead-smsc
gateway_start "$WORK"
if ! wait_health "http://127.0.0.1:$ADMIN_PORT/health" "$GATEWAY_PID" 300; then
  tail -20 "$WORK/gateway.log" >&2
  die "the gateway did not become healthy"
fi

# Traffic that makes the lazily registered counters appear (Micrometer registers a counter at its
# first increment). Outcomes are not judged here (the functional tests do that); only the names.
sip_call "$WORK" police uac-pai.xml 127.0.0.1 96110 13800138000 || echo "check-monitoring: police call failed (see $WORK, KEEP=1)"
sip_call "$WORK" impostor uac-spoof.xml 127.0.0.2 96110 13800138000 || echo "check-monitoring: impostor call failed"
sip_call "$WORK" fraud uac.xml 127.0.0.1 17000000001 13800138000 || echo "check-monitoring: fraud-number call failed"
printf 'INVITE sip:19999000000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-dead-%s\r\nFrom: <sip:96110@127.0.0.1>;tag=1\r\nTo: <sip:19999000000@127.0.0.1>\r\nCall-ID: dead-%s@check\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n' $$ $$ \
  | send_udp "$SIP_PORT" >/dev/null
printf 'INVITE sip:13800138000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-bad\r\nCSeq: banana\r\n\r\n' \
  | send_udp "$SIP_PORT" >/dev/null
curl -fsS -X POST -H "Authorization: Bearer $GATEWAY_ADMIN_TOKEN" -H 'Content-Type: application/json' \
  "http://127.0.0.1:$ADMIN_PORT/v1/warnings" -d '{"subscriber":"13800138000","fraudType":"brushing_rebate","tier":1}' >/dev/null

# Wait until every wanted name is exported (counters appear as the traffic is worked: receipts
# come back after the SMSC's delay, the job sweep fills its gauges each second); bounded at 120 s
# only against hanging, then the missing names are the verdict.
give_up=$((SECONDS + 120))
while :; do
  curl -fsS "http://127.0.0.1:$ADMIN_PORT/metrics" >"$WORK/metrics.txt" 2>/dev/null || true
  python3 scripts/kit/metric_names.py exported <"$WORK/metrics.txt" >"$WORK/exported"
  missing=$(grep -vxF -f "$WORK/exported" "$WORK/wanted" || true)
  [ -z "$missing" ] || [ "$SECONDS" -ge "$give_up" ] && break
  kill -0 "$GATEWAY_PID" 2>/dev/null || die "the gateway exited (log: $WORK/gateway.log, KEEP=1 keeps it)"
  sleep 0.5
done
if [ -n "$missing" ]; then
  echo "check-monitoring: FAILED: names used in $MON but not exported by GET /metrics:"
  for name in $missing; do
    where=$(grep -lxF "$name" "$WORK/rules.names" "$WORK/dashboard.names" | sed 's|.*/rules.names|alerts.yml|; s|.*/dashboard.names|grafana-dashboard.json|' | paste -sd, -)
    echo "  $name ($where)"
  done
  exit 1
fi
echo "check-monitoring: passed: promtool check and unit tests, and all $(wc -l <"$WORK/wanted") metric names of the rules and the dashboard exported by a live gateway ($(wc -l <"$WORK/exported") names exported)"
