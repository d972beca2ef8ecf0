#!/usr/bin/env bash
# Runs bin/test N times (default 3) while `stress-ng --cpu 2` keeps the CPUs busy beside it, and prints
# each run's result and duration: the suite must be green on a busy machine, not only on an idle one
# (issue 12). Installs stress-ng (Debian stress-ng) when missing; stops it on exit, however the script
# ends.
#
#   loadtest/test-under-cpu-load.sh [-n RUNS] [--cpu WORKERS] [-- ARGS FOR bin/test]
#
# Each run's full output goes to a log file in a work directory (printed at the start, kept). Exit 0
# when every run passed. Environment for bin/test passes through (SKIP_SIPP=1, SKIP_FAULTS=1).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
cpu=2
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    --cpu) cpu=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: $0 [-n RUNS] [--cpu WORKERS] [-- ARGS FOR bin/test]" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "test-under-cpu-load: -n must be a positive number, got '$runs'" >&2; exit 2; }
[[ "$cpu" =~ ^[1-9][0-9]*$ ]] || { echo "test-under-cpu-load: --cpu must be a positive number, got '$cpu'" >&2; exit 2; }

if ! command -v stress-ng >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test-under-cpu-load: stress-ng is missing; need root to apt-get install it" >&2
    exit 1
  fi
  echo "test-under-cpu-load: installing stress-ng"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends stress-ng >/dev/null \
    || { apt-get -o DPkg::Lock::Timeout=300 update -qq && \
         DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends stress-ng >/dev/null; }
fi

work=$(mktemp -d /tmp/test-under-cpu-load.XXXXXX)
echo "test-under-cpu-load: $runs run(s) of bin/test beside stress-ng --cpu $cpu; logs in $work"

# stress-ng in its own process group, so that stopping it also stops its workers.
setsid stress-ng --cpu "$cpu" --timeout 0 --quiet >"$work/stress-ng.log" 2>&1 &
stress_pid=$!
test_pid=""
# On exit, however it comes: the running bin/test (its whole process group: Maven, forked test JVMs,
# gateways) and stress-ng are stopped.
stop_all() {
  if [ -n "$test_pid" ] && kill -0 "$test_pid" 2>/dev/null; then
    kill -TERM -- "-$test_pid" 2>/dev/null || true
    wait "$test_pid" 2>/dev/null || true
  fi
  if kill -0 "$stress_pid" 2>/dev/null; then
    kill -TERM -- "-$stress_pid" 2>/dev/null || true
    wait "$stress_pid" 2>/dev/null || true
  fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

results=()
failed=0
total_start=$SECONDS
for ((i = 1; i <= runs; i++)); do
  start=$SECONDS
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  rc=0
  echo "== run $i of $runs (load average $load_before): bin/test $* > $work/run-$i.log"
  # In the background and in its own process group, so that a signal to this script is handled at once
  # (bash runs traps only between commands) and stops the whole run.
  setsid bin/test "$@" >"$work/run-$i.log" 2>&1 &
  test_pid=$!
  wait "$test_pid" || rc=$?
  test_pid=""
  took=$((SECONDS - start))
  load_after=$(cut -d' ' -f1 /proc/loadavg)
  if [ "$rc" -eq 0 ]; then
    line=$(printf 'run %d: PASS in %d s (%dm%02ds), load average %s -> %s' "$i" "$took" $((took / 60)) $((took % 60)) "$load_before" "$load_after")
  else
    failed=$((failed + 1))
    line=$(printf 'run %d: FAIL (exit %d) after %d s (%dm%02ds), load average %s -> %s; see %s' "$i" "$rc" "$took" \
      $((took / 60)) $((took % 60)) "$load_before" "$load_after" "$work/run-$i.log")
  fi
  results+=("$line")
  echo "$line"
  # bin/test's own per-stage summary, so the slow stage shows without opening the log.
  sed -n '/^== bin\/test summary/,$p' "$work/run-$i.log" | sed 's/^/    /'
done

echo "== test-under-cpu-load: $((runs - failed)) of $runs passed beside stress-ng --cpu $cpu in $((SECONDS - total_start)) s"
for line in "${results[@]}"; do
  echo "   $line"
done
[ "$failed" -eq 0 ]
