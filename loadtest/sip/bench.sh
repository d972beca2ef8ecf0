#!/usr/bin/env bash
# SIP proxy benchmark: the same SIPp scenario, UAC -> proxy -> UAS over UDP on 127.0.0.1, every
# request through the proxy by Record-Route (scenarios/uac.xml, scenarios/uas.xml), against
#   kamailio  Kamailio 5.6 stateless, one UDP worker (kamailio/kamailio-stateless.cfg)
#   gateway   this project's gateway, bin/gateway --config <bench config>
# in one run on one machine. For each target and each of RUNS runs (targets interleaved, each
# started fresh per run, each warmed up the same way):
#   - CPU per call at a fixed rate (CPU_RATE calls/s, CPU_CALLS calls): utime+stime delta of the
#     whole proxy (every thread of the JVM; every process of Kamailio's tree) from /proc/PID/stat,
#     divided by the calls;
#   - the highest call rate with zero failed calls: rates of RATES in turn, each step
#     min(rate x STEP_SECONDS, MAX_STEP_CALLS) calls, bounded in time, stop at the first rate whose
#     ATTEMPTS tries (default 2, the same for every target: the machine is shared and a build
#     elsewhere can stall any process for a moment) all had a failed call (UAC or UAS) or a
#     missing one;
#   - gateway only: branded against unbranded INVITEs at CPU_RATE from a trusted ingress
#     (uac-pai.xml; the police number, which has a card, against a normal number), in
#     alternating order, to check that branding adds at most 50 us of CPU per call (one INVITE);
#   - every target: the display-name shield, uac-impostor.xml (uac.xml with a From display name)
#     from the same ingress and a normal number, with an impostor's name "国家反诈中心" (removed) and
#     an ordinary one "张伟 客服中心" (passes), against the plain uac.xml cpu step (no display name);
#     Kamailio forwards both unchanged, so its delta is the cost of the longer From alone.
#   - gateway-signed (a target to name explicitly): the same gateway with sip.identity.signing on
#     (test material from loadtest/identity/make-test-cert.sh), measured as the gateway: its branded
#     INVITEs carry an RFC 8224 Identity, so branded(gateway-signed) - branded(gateway) in the same
#     run is the CPU signing adds per call (one signed INVITE).
# Results: a markdown table and the raw CSV in loadtest/results/, medians and ratios printed.
# The machine is shared: SIPp UAC, SIPp UAS and the proxy share its cores (2 here), so the rate
# found is that of the whole set-up, and the CPU figures are the comparable ones.
#
#   bench.sh [--targets "kamailio gateway [gateway-signed]"] [--runs 3] [--attempts 2] [--rates "500 1000 ..."]
#            [--step-seconds 5] [--max-step-calls 20000] [--cpu-rate 1000] [--cpu-calls 10000]
#            [--warmup-calls 10000] [--gateway-config FILE] [--police-number 96110]
#            [--normal-number 13912345678] [--udp-receive workers|event-loop] [--out DIR]
#
# --gateway-config: a gateway config (YAML) for bin/gateway; by default bench.sh writes one from
# gateway-bench.yaml.in with the ports chosen at run time. The gateway must route the called
# number to the UAS, treat 127.0.0.1 as a trusted, identity-asserting ingress, and have
# POLICE_NUMBER as a verified warning number (the generated config lists bench-warning-numbers.yaml,
# which has 96110, the default).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
REPO="$(cd "$SIP_DIR/../.." && pwd)"

TARGETS="kamailio gateway" RUNS=3 STEP_SECONDS=5 MAX_STEP_CALLS=20000 ATTEMPTS=2
RATES="500 1000 1500 2000 2500 3000 3500 4000 5000 6000 8000 10000 12000 16000"
CPU_RATE=1000 CPU_CALLS=10000 WARMUP_CALLS=10000 GATEWAY_CONFIG=""
POLICE_NUMBER=96110 NORMAL_NUMBER=13912345678 CALLED=13800138000 UDP_RECEIVE=workers
# From display names for the shield steps: one the shield removes, one it must let through (a
# common name with a word, 中心, that a protected name also has).
IMPOSTOR_NAME="国家反诈中心" ORDINARY_NAME="张伟 客服中心"
OUT="$REPO/loadtest/results"
while [ $# -gt 0 ]; do
  case "$1" in
    --targets) TARGETS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --attempts) ATTEMPTS=$2; shift 2 ;;
    --rates) RATES=$2; shift 2 ;;
    --step-seconds) STEP_SECONDS=$2; shift 2 ;;
    --max-step-calls) MAX_STEP_CALLS=$2; shift 2 ;;
    --cpu-rate) CPU_RATE=$2; shift 2 ;;
    --cpu-calls) CPU_CALLS=$2; shift 2 ;;
    --warmup-calls) WARMUP_CALLS=$2; shift 2 ;;
    --gateway-config) GATEWAY_CONFIG=$2; shift 2 ;;
    --udp-receive) UDP_RECEIVE=$2; shift 2 ;;
    --police-number) POLICE_NUMBER=$2; shift 2 ;;
    --normal-number) NORMAL_NUMBER=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
for n in RUNS ATTEMPTS STEP_SECONDS MAX_STEP_CALLS CPU_RATE CPU_CALLS; do
  [[ "${!n}" =~ ^[1-9][0-9]*$ ]] || die "$n must be a positive integer, got '${!n}'"
done
[[ "$WARMUP_CALLS" =~ ^[0-9]+$ ]] || die "WARMUP_CALLS must be an integer, got '$WARMUP_CALLS'"
for t in $TARGETS; do
  case "$t" in kamailio|gateway|gateway-signed) ;; *) die "unknown target '$t' (kamailio, gateway, gateway-signed)" ;; esac
done
command -v sipp >/dev/null || die "sipp not found: run scripts/install-loadtest-deps.sh"
case " $TARGETS " in *" kamailio "*) command -v kamailio >/dev/null || die "kamailio not found: run scripts/install-loadtest-deps.sh" ;; esac

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d /tmp/sip-bench.XXXXXX)
CSV="$WORK/steps.csv"
echo "run,target,phase,scenario,caller,rate,calls,successful,failed,retransmissions,uac_exit,uas_exit,cpu_ticks,cpu_us_per_call,wall_s,load1,uac_us_per_call,uas_us_per_call,udp_rcvbuf_drops" >"$CSV"
PROXY_PID="" UAS_PID=""
cleanup() {
  stop_pid "$UAS_PID"
  stop_pid "$PROXY_PID"
  # The proxies' own logs stay beside the report, for a run that needs explaining.
  local f logs="$OUT/sip-bench-$STAMP.logs"
  for f in "$WORK"/*/*.log; do
    [ -f "$f" ] || continue
    mkdir -p "$logs" && cp "$f" "$logs/$(basename "$(dirname "$f")")-$(basename "$f")"
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# Datagrams the kernel dropped because a UDP socket's receive buffer was full (all sockets of the
# machine: during a step, the proxy's and the two SIPp's), from /proc/net/snmp.
udp_rcvbuf_errors() {
  awk '/^Udp:/ { n++; if (n == 1) { for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") c = i } else { print $c; exit } }' /proc/net/snmp
}

# start_proxy TARGET RUN: starts it on a fresh port towards UAS_PORT; sets PROXY_PID, PROXY_PORT.
start_proxy() {
  local target=$1 run=$2 dir="$WORK/$1-$2"
  PROXY_PORT=$(free_port)
  mkdir -p "$dir"
  case "$target" in
    kamailio)
      kamailio_start "$KAMAILIO_DIR/kamailio-stateless.cfg" "$PROXY_PORT" "$dir" \
        -A "UAS_URI=\"sip:127.0.0.1:$UAS_PORT\""
      PROXY_PID=$KAM_PID ;;
    gateway|gateway-signed)
      local cfg=$GATEWAY_CONFIG admin_port i identity=""
      [ "$target" = gateway-signed ] && [ -n "$cfg" ] && die "gateway-signed needs the generated config (no --gateway-config)"
      if [ "$target" = gateway-signed ]; then
        identity="$WORK/identity"
        [ -f "$identity/signer.key.pem" ] || bash "$SIP_DIR/../identity/make-test-cert.sh" "$identity" 2 >/dev/null
      fi
      if [ -z "$cfg" ]; then
        cfg="$dir/gateway-bench.yaml"
        admin_port=$(free_port)
        sed -e "s|@SIP_PORT@|$PROXY_PORT|g" -e "s|@UAS_PORT@|$UAS_PORT|g" \
            -e "s|@ADMIN_PORT@|$admin_port|g" -e "s|@DATA_DIR@|$dir/data|g" \
            -e "s|@CLUSTER_PORT@|$(free_port)|g" -e "s|@WARNING_LIST@|$SIP_DIR/bench-warning-numbers.yaml|g" \
            -e "s|@REPO@|$REPO|g" -e "s|@UDP_RECEIVE@|$UDP_RECEIVE|g" \
            "$SIP_DIR/gateway-bench.yaml.in" | awk -v dir="$identity" -v port="$admin_port" '
              /# @IDENTITY@/ && dir != "" {
                print "  identity:"; print "    signing:"
                print "      key-file: " dir "/signer.key.pem"; print "      certificate-file: " dir "/signer.cert.pem"
                print "      x5u-url: \"http://127.0.0.1:" port "/identity/cert.pem\""; next }
              { print }' >"$cfg"
      else
        PROXY_PORT=$(sed -n 's/^ *# *bench-sip-port: *\([0-9]*\).*/\1/p' "$cfg" | head -1)
        [ -n "$PROXY_PORT" ] || die "--gateway-config $cfg must say its SIP UDP port in a comment '# bench-sip-port: N'"
      fi
      "$REPO/bin/gateway" --config "$cfg" >"$dir/gateway.log" 2>&1 &
      PROXY_PID=$!
      # bin/gateway may build the jar first: give it time, but bounded.
      if ! wait_listening udp 127.0.0.1 "$PROXY_PORT" 300; then
        tail -20 "$dir/gateway.log" >&2
        die "the gateway did not listen on udp 127.0.0.1:$PROXY_PORT within 300 s"
      fi
      # The SIP listener binds before the number lists are loaded: wait for health to say UP.
      admin_port=${admin_port:-$(sed -n 's/^ *bind: *127.0.0.1:\([0-9]*\).*/\1/p' "$cfg" | tail -1)}
      for ((i = 0; i < 600; i++)); do
        curl -fsS "http://127.0.0.1:$admin_port/health" 2>/dev/null | grep -q '"status":"UP"' && break
        sleep 0.1
      done
      [ "$i" -lt 600 ] || die "the gateway's health (127.0.0.1:$admin_port) did not say UP within 60 s" ;;
  esac
}

stop_proxy() { stop_pid "$PROXY_PID"; PROXY_PID=""; }

# run_step RUN TARGET PHASE UAC_SCENARIO CALLER RATE CALLS: one bounded SIPp run through the proxy;
# appends a CSV row; returns 0 when every call completed with no failure on either side.
run_step() {
  local run=$1 target=$2 phase=$3 scenario=$4 caller=$5 rate=$6 calls=$7
  local dir="$WORK/step" limit=$((STEP_SECONDS * 4 + calls / rate + 15)) uac_rc=0 uas_rc=0
  local t0 t1 c0 c1 uac_port load1 d0 d1
  rm -rf "$dir"; mkdir -p "$dir"
  # Not exec'd: the subshell's `times` gives the SIPp side's own CPU (children user and system).
  (cd "$dir" && rc=0 && { timeout $((limit + 10)) sipp -sf "$SCENARIOS/uas.xml" -i 127.0.0.1 -p "$UAS_PORT" \
      -t u1 -m "$calls" -buff_size 4194304 -timeout "${limit}s" -timeout_error -nostdin \
      -trace_err -error_file uas-errors.log >uas.out 2>&1 || rc=$?; } && times >uas.times && exit "$rc") &
  UAS_PID=$!
  wait_listening udp 127.0.0.1 "$UAS_PORT" 10 || die "the UAS did not start on 127.0.0.1:$UAS_PORT"
  uac_port=$(free_port)
  load1=$(cut -d' ' -f1 /proc/loadavg)
  c0=$(tree_cpu_ticks "$PROXY_PID"); t0=$(date +%s.%N); d0=$(udp_rcvbuf_errors)
  (cd "$dir" && rc=0 && { timeout $((limit + 10)) sipp "127.0.0.1:$PROXY_PORT" -sf "$SCENARIOS/$scenario" \
      -i 127.0.0.1 -p "$uac_port" -t u1 -key caller "$caller" ${UAC_NAME:+-key impostor_name "$UAC_NAME"} -s "$CALLED" \
      -r "$rate" -m "$calls" -l $((rate * 2 + 100)) -recv_timeout 8000 -buff_size 4194304 \
      -timeout "${limit}s" -timeout_error -nostdin \
      -trace_stat -stf uac-stat.csv -fd 3600 -trace_err -error_file uac-errors.log >uac.out 2>&1 || rc=$?; } \
      && times >uac.times && exit "$rc") || uac_rc=$?
  t1=$(date +%s.%N); c1=$(tree_cpu_ticks "$PROXY_PID"); d1=$(udp_rcvbuf_errors)
  if [ "$uac_rc" -ne 0 ]; then
    # The UAS would wait for calls that never come: stop its timeout(1), which stops SIPp.
    pkill -TERM -P "$UAS_PID" 2>/dev/null || true
  fi
  wait "$UAS_PID" || uas_rc=$?
  UAS_PID=""
  python3 - "$dir/uac-stat.csv" "$run" "$target" "$phase" "$scenario" "$caller" "$rate" "$calls" \
      "$uac_rc" "$uas_rc" "$((c1 - c0))" "$CLK_TCK" "$t0" "$t1" "$load1" "$dir/uac.times" "$dir/uas.times" "$((d1 - d0))" >>"$CSV" <<'PY'
import re, sys
(stat, run, target, phase, scen, caller, rate, calls, uac_rc, uas_rc, ticks, hz, t0, t1, load1,
 uac_times, uas_times, drops) = sys.argv[1:]


def sipp_cpu(path):
    """Seconds of CPU of the SIPp side: the second line of bash's `times` (children user, sys)."""
    try:
        line = open(path).read().splitlines()[1]
    except (OSError, IndexError):
        return None
    return sum(int(m) * 60 + float(s) for m, s in re.findall(r"(\d+)m([\d.]+)s", line))


ok = fail = retr = 0
try:
    rows = [l.rstrip('\n').split(';') for l in open(stat) if l.strip()]
    head, last = rows[0], rows[-1]
    col = lambda name: int(last[head.index(name)])
    ok, fail, retr = col('SuccessfulCall(C)'), col('FailedCall(C)'), col('Retransmissions(C)')
except (OSError, ValueError, IndexError):
    fail = -1
ticks = int(ticks)
per_call = ticks * 1e6 / int(hz) / ok if ok else 0
sipp = [sipp_cpu(p) for p in (uac_times, uas_times)]
sipp_us = [f"{s * 1e6 / ok:.1f}" if s is not None and ok else "" for s in sipp]
print(f"{run},{target},{phase},{scen},{caller},{rate},{calls},{ok},{fail},{retr},{uac_rc},{uas_rc},"
      f"{ticks},{per_call:.1f},{float(t1) - float(t0):.2f},{load1},{sipp_us[0]},{sipp_us[1]},{drops}")
PY
  local row; row=$(tail -1 "$CSV")
  log "  $phase rate=$rate calls=$calls -> $(echo "$row" | awk -F, '{printf "ok=%s failed=%s retrans=%s udp-drops=%s cpu=%s us/call (sipp uac %s, uas %s) load=%s", $8, $9, $10, $19, $14, $17, $18, $16}')"
  echo "$row" | awk -F, -v n="$calls" '$8 == n && $9 == 0 && $11 == 0 && $12 == 0 { ok = 1 } END { exit !ok }'
}

# step_with_retries ARGS...: run_step up to ATTEMPTS times until one passes.
step_with_retries() {
  local attempt
  for attempt in $(seq 1 "$ATTEMPTS"); do
    run_step "$@" && return 0
  done
  return 1
}

UAS_PORT=$(free_port)
log "sip bench: targets [$TARGETS], $RUNS runs, rates [$RATES], cpu at $CPU_RATE/s x $CPU_CALLS, $(nproc) cores"
for run in $(seq 1 "$RUNS"); do
  for target in $TARGETS; do
    log "run $run, $target"
    start_proxy "$target" "$run"
    if [ "$WARMUP_CALLS" -gt 0 ]; then
      # Every path measured below is warmed first (plain, asserted-identity, branded), the same for
      # both targets: the JVM compiles a path on first use, and its JIT threads' CPU is the process's.
      run_step "$run" "$target" warmup uac.xml "$NORMAL_NUMBER" "$CPU_RATE" "$WARMUP_CALLS" || true
      run_step "$run" "$target" warmup uac-pai.xml "$NORMAL_NUMBER" "$CPU_RATE" "$WARMUP_CALLS" || true
      run_step "$run" "$target" warmup uac-pai.xml "$POLICE_NUMBER" "$CPU_RATE" "$WARMUP_CALLS" || true
      UAC_NAME="$IMPOSTOR_NAME" run_step "$run" "$target" warmup uac-impostor.xml "$NORMAL_NUMBER" "$CPU_RATE" "$WARMUP_CALLS" || true
      UAC_NAME="$ORDINARY_NAME" run_step "$run" "$target" warmup uac-impostor.xml "$NORMAL_NUMBER" "$CPU_RATE" "$WARMUP_CALLS" || true
    fi
    step_with_retries "$run" "$target" cpu uac.xml "$NORMAL_NUMBER" "$CPU_RATE" "$CPU_CALLS" || true
    if [ "$target" != kamailio ]; then
      if [ $((run % 2)) -eq 1 ]; then order="branded unbranded"; else order="unbranded branded"; fi
      for kind in $order; do
        caller=$NORMAL_NUMBER; [ "$kind" = branded ] && caller=$POLICE_NUMBER
        step_with_retries "$run" "$target" "$kind" uac-pai.xml "$caller" "$CPU_RATE" "$CPU_CALLS" || true
      done
    fi
    # The display-name shield, on every unbranded INVITE: an ordinary name (matched, no hit, passes)
    # and an impostor's (matched, removed), both from a normal number; Kamailio forwards both as they
    # are, which gives the cost of the longer From alone in the same run.
    UAC_NAME="$ORDINARY_NAME" step_with_retries "$run" "$target" ordinary uac-impostor.xml "$NORMAL_NUMBER" "$CPU_RATE" "$CPU_CALLS" || true
    UAC_NAME="$IMPOSTOR_NAME" step_with_retries "$run" "$target" impostor uac-impostor.xml "$NORMAL_NUMBER" "$CPU_RATE" "$CPU_CALLS" || true
    for rate in $RATES; do
      calls=$((rate * STEP_SECONDS)); [ "$calls" -gt "$MAX_STEP_CALLS" ] && calls=$MAX_STEP_CALLS
      step_with_retries "$run" "$target" search uac.xml "$NORMAL_NUMBER" "$rate" "$calls" || break
    done
    stop_proxy
  done
done

mkdir -p "$OUT"
cp "$CSV" "$OUT/sip-bench-$STAMP.csv"
python3 "$SIP_DIR/bench-report.py" "$CSV" "$STAMP" "$(nproc)" "$RATES" "$STEP_SECONDS" "$CPU_RATE" "$CPU_CALLS" "$ATTEMPTS" \
  >"$OUT/sip-bench-$STAMP.md"
cat "$OUT/sip-bench-$STAMP.md"
log "results: $OUT/sip-bench-$STAMP.md and .csv"
