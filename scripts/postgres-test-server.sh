#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for the registry's tests and the reload benchmark.
#
#   scripts/postgres-test-server.sh start   initdb (first time) and start on a free 127.0.0.1 port; prints the JDBC URL
#   scripts/postgres-test-server.sh url     prints the JDBC URL of the running server (exit 1 when none)
#   scripts/postgres-test-server.sh stop    stops it (the data directory stays for the next start)
#
# The server uses Debian's postgresql package (scripts/install-test-deps.sh installs it), lives in
# $PG_TEST_DIR (default target/postgres-test under the repository), listens on loopback only with
# trust authentication (it holds test data only), and stops by itself after $PG_TEST_TTL_SECONDS
# (default 3600) so a forgotten server does not outlive the session. PostgreSQL refuses to run as
# root, so as root the server runs as the `postgres` OS user.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${PG_TEST_DIR:-$ROOT/target/postgres-test}"
# As root the server runs as 'postgres', which must reach the directory: a checkout under /root (mode
# 700) is out of its reach, so the data then goes to a directory under /tmp named after the checkout.
if [ -z "${PG_TEST_DIR:-}" ] && [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 \
    && ! runuser -u postgres -- test -x "$ROOT"; then
  DIR="/tmp/postgres-test-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
fi
BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
TTL="${PG_TEST_TTL_SECONDS:-3600}"
DATA="$DIR/data"
WATCHDOG="$DIR/watchdog.pid"
DB=registry

die() { echo "postgres-test-server: $*" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() {
  [ -f "$DATA/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

port() {
  sed -n 4p "$DATA/postmaster.pid"
}

url() {
  echo "jdbc:postgresql://127.0.0.1:$(port)/$DB?user=postgres"
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    # Below the kernel's ephemeral range, as loadtest/sip/lib.sh explains: a port from that range can
    # become an outgoing connection's local port before the server binds it.
    python3 -c '
import random, socket, sys
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
for _ in range(200):
    p = random.randint(10000, max(10001, low - 1))
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    sys.exit(0)
sys.exit("no free port")'
    return
  fi
  # Without python: a random port below the ephemeral range that nothing answers on.
  local p
  for ((i = 0; i < 100; i++)); do
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  die "no free loopback port found"
}

start() {
  [ -x "$BIN/postgres" ] || die "PostgreSQL 15 is not installed ($BIN/postgres missing); run scripts/install-test-deps.sh as root"
  if running; then
    url
    return
  fi
  mkdir -p "$DIR"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' OS user to run the server as (the postgresql package creates it)"
    chown postgres "$DIR"
  fi
  if [ ! -f "$DATA/PG_VERSION" ]; then
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$DIR/initdb.log" 2>&1 \
      || die "initdb failed; see $DIR/initdb.log"
  fi
  local p
  p="$(free_port)"
  # fsync off: test data needs no crash safety, and the 10M-row benchmark insert is then disk-bound less.
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 start \
    -o "-p $p -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${PG_TEST_SERVER_OPTS:-}" \
    >/dev/null || die "server did not start; see $DIR/server.log"
  if ! as_owner "$BIN/psql" -h 127.0.0.1 -p "$p" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" postgres | grep -q 1; then
    as_owner "$BIN/psql" -h 127.0.0.1 -p "$p" -U postgres -qc "CREATE DATABASE $DB" postgres >/dev/null
  fi
  # Stop by itself after TTL seconds, unless stopped (or restarted with another pid) before. The
  # watchdog is a session of its own whose id is kept, so that `stop` ends it (and its sleep) too.
  local pid
  pid="$(head -1 "$DATA/postmaster.pid")"
  stop_watchdog
  nohup setsid bash -c "sleep $TTL; if [ \"\$(head -1 '$DATA/postmaster.pid' 2>/dev/null)\" = '$pid' ]; then rm -f '$WATCHDOG'; \"\$0\" stop; fi" \
    "$0" >/dev/null 2>&1 </dev/null &
  echo $! >"$WATCHDOG"
  url
}

# Ends the TTL watchdog of the last start: its bash and its sleep (setsid made it a process group).
stop_watchdog() {
  local w
  [ -f "$WATCHDOG" ] || return 0
  w="$(cat "$WATCHDOG")"
  rm -f "$WATCHDOG"
  # Only if that pid is still our watchdog (a pid can be reused after a reboot).
  if [ -n "$w" ] && grep -qF "$DATA/postmaster.pid" "/proc/$w/cmdline" 2>/dev/null; then
    kill -- "-$w" 2>/dev/null || true
  fi
}

stop() {
  stop_watchdog
  if running; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) running || die "not running (start it with: $0 start)"; url ;;
  *) die "usage: $0 start|stop|url" ;;
esac
