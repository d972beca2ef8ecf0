# Shared helpers of functional.sh and bench.sh: free loopback ports, a Kamailio started and stopped
# by pid, SIPp runs bounded in time, and CPU time of a whole process tree from /proc.
# Sourced, not run. Everything listens on loopback; everything started here is stopped by pid.

SIP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCENARIOS="$SIP_DIR/scenarios"
KAMAILIO_DIR="$SIP_DIR/kamailio"
CLK_TCK="$(getconf CLK_TCK)"

die() { echo "$(basename "$0"): $*" >&2; exit 2; }

# A port free for both UDP and TCP on ADDR (default 127.0.0.1), for a server started here. It is chosen
# at random BELOW the kernel's ephemeral range (net.ipv4.ip_local_port_range), never from it: the
# kernel hands ports of that range to outgoing connections, so a port taken from it, released, and bound
# by a server that starts seconds later can meanwhile have become the local port of some client's
# connection ("Address already in use"). bin/test runs two lanes of servers and busy clients at once.
free_port() {
  python3 - "${1:-127.0.0.1}" <<'PY'
import random, socket, sys
addr = sys.argv[1]
try:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        ephemeral_low = int(f.read().split()[0])
except (OSError, ValueError, IndexError):
    ephemeral_low = 32768
low, high = 10000, max(10001, ephemeral_low - 1)
for _ in range(200):
    port = random.randint(low, high)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        u.bind((addr, port))
        t.bind((addr, port))
    except OSError:
        continue
    finally:
        t.close()
        u.close()
    print(port)
    sys.exit(0)
sys.exit("no free port below the ephemeral range %d" % ephemeral_low)
PY
}

# wait_listening PROTO(udp|tcp) ADDR PORT SECONDS: until something listens there, or fail.
wait_listening() {
  local proto=$1 addr=$2 port=$3 secs=${4:-10} flag=-lun i
  [ "$proto" = tcp ] && flag=-ltn
  for ((i = 0; i < secs * 20; i++)); do
    ss -H "$flag" "src $addr:$port" 2>/dev/null | grep -q . && return 0
    sleep 0.05
  done
  return 1
}

# kamailio_start CFG PORT WORKDIR [-A define]...: Kamailio in the foreground of a background job
# (-DD -E, no daemon, no systemd), UDP and TCP on 127.0.0.1:PORT. Sets KAM_PID.
kamailio_start() {
  local cfg=$1 port=$2 dir=$3
  shift 3
  mkdir -p "$dir"
  kamailio -f "$cfg" -DD -E -l "udp:127.0.0.1:$port" -l "tcp:127.0.0.1:$port" \
    -P "$dir/kamailio.pid" -Y "$dir" -m 64 -M 8 "$@" >"$dir/kamailio.log" 2>&1 &
  KAM_PID=$!
  if ! wait_listening udp 127.0.0.1 "$port" 10; then
    cat "$dir/kamailio.log" >&2
    die "kamailio did not start on 127.0.0.1:$port"
  fi
}

# stop_pid PID: TERM, then KILL after 5 s; only the process we started (its children follow it).
stop_pid() {
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    # A JVM stopped by TERM exits 143: not an error here (and set -e must not see it).
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.05
  done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
  return 0
}

# tree_cpu_ticks PID: utime+stime (fields 14, 15 of /proc/PID/stat, clock ticks) of PID and of
# every live descendant. One JVM is one process (its threads are counted in its own stat);
# Kamailio is a tree of forked processes (main, UDP worker, timers, TCP main and worker), all
# of which are the proxy.
tree_cpu_ticks() {
  python3 - "$1" <<'PY'
import os, sys
root = int(sys.argv[1])
stats = {}
for d in os.listdir('/proc'):
    if not d.isdigit():
        continue
    try:
        s = open(f'/proc/{d}/stat').read()
    except OSError:
        continue
    f = s[s.rindex(')') + 2:].split()
    stats[int(d)] = (int(f[1]), int(f[11]) + int(f[12]))   # ppid, utime + stime
tree, total, changed = {root}, 0, True
while changed:
    changed = False
    for pid, (ppid, _) in stats.items():
        if ppid in tree and pid not in tree:
            tree.add(pid)
            changed = True
print(sum(stats[p][1] for p in tree if p in stats))
PY
}
