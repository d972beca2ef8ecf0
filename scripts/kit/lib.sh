# Shared helpers of bin/demo, scripts/check-monitoring.sh and scripts/test-package.sh: a gateway node
# on free loopback ports with a temporary data dir, the node-smpp SMSC simulator (loadtest/smsc-sim),
# health waits bounded only against hanging, and packages installed with policy-rc.d restored.
# Sourced, not run. Uses free_port, wait_listening and stop_pid of loadtest/sip/lib.sh.

KIT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$KIT_DIR/../.." && pwd)"
. "$REPO/loadtest/sip/lib.sh"

# apt_install PACKAGE...: apt-get install, without letting a package start its system-wide service
# (policy-rc.d answers 101 meanwhile); an existing /usr/sbin/policy-rc.d is put back as it was.
apt_install() {
  [ "$(id -u)" -eq 0 ] || die "need root to apt-get install $*"
  local saved=""
  if [ -e /usr/sbin/policy-rc.d ]; then
    saved=$(mktemp /tmp/policy-rc.d.XXXXXX)
    cp -p /usr/sbin/policy-rc.d "$saved"
  fi
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  local rc=0
  { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; } || rc=$?
  if [ -n "$saved" ]; then mv "$saved" /usr/sbin/policy-rc.d; else rm -f /usr/sbin/policy-rc.d; fi
  return "$rc"
}

# gateway_jar: path of the shaded jar, built (Maven, tests skipped) when missing or stale; bin/gateway
# has the same rule, here without starting it. GATEWAY_JAR names a jar to use as it is (bin/test's copy).
gateway_jar() {
  if [ -n "${GATEWAY_JAR:-}" ]; then
    [ -f "$GATEWAY_JAR" ] || { echo "GATEWAY_JAR=$GATEWAY_JAR: no such file" >&2; return 1; }
    echo "$GATEWAY_JAR"
    return 0
  fi
  local jar="$REPO/gateway/target/gateway.jar"
  if [ ! -f "$jar" ] || [ -n "$(cd "$REPO" && find pom.xml number-registry sip-proxy smpp-gateway gateway \
        \( -name target -prune \) -o \( -type f \( -name '*.java' -o -name pom.xml -o -path '*/src/main/resources/*' \) \
        -newer "$jar" -print \) | head -n 1)" ]; then
    echo "building $jar (mvn -DskipTests -pl gateway -am package)" >&2
    # Maven's console library writes colour resets even with -B: strip them.
    (cd "$REPO" && mvn -B -q -ntp -Dstyle.color=never -DskipTests -pl gateway -am package 2>&1 \
      | sed 's/\x1b\[[0-9;]*m//g' >&2; exit "${PIPESTATUS[0]}")
  fi
  echo "$jar"
}

# smsc_start WORKDIR: the node-smpp SMSC simulator on a free port, submit_sm logged to
# WORKDIR/smsc.jsonl. Sets SMSC_PID and SMSC_PORT. Needs loadtest/smsc-sim/node_modules
# (scripts/install-test-deps.sh).
smsc_start() {
  local dir=$1
  [ -d "$REPO/loadtest/smsc-sim/node_modules/smpp" ] || die "run scripts/install-test-deps.sh first (node-smpp)"
  # Created here, not by the background job's redirection: that happens in the child after the fork,
  # and on a busy machine the loop below read the file before it existed.
  : >"$dir/smsc.out"
  node "$REPO/loadtest/smsc-sim/smsc.js" --port 0 --log "$dir/smsc.jsonl" --receipt-delay-ms 100 --lifetime-s 600 \
    >"$dir/smsc.out" 2>&1 &
  SMSC_PID=$!
  local give_up=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$give_up" ]; do
    SMSC_PORT=$(sed -n 's/^smsc-sim listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/smsc.out")
    [ -n "$SMSC_PORT" ] && return 0
    kill -0 "$SMSC_PID" 2>/dev/null || { cat "$dir/smsc.out" >&2; die "the SMSC simulator exited"; }
    sleep 0.1
  done
  die "the SMSC simulator did not say where it listens within 60 s"
}

# write_node_config WORKDIR SMSC_PORT [with-dead-smsc]: WORKDIR/gateway.yaml from scripts/kit/node.yaml.in, the embedded
# defaults on free loopback ports (SIP, cluster, admin, a UAS and a dead TCP next hop), the shipped
# number lists and templates; with-dead-smsc adds a second SMSC on the closed DEAD_PORT. Sets
# SIP_PORT, ADMIN_PORT, UAS_PORT, DEAD_PORT.
write_node_config() {
  local dir=$1 smsc_port=$2 dead='/^#DEAD#/d'
  [ "${3:-}" = with-dead-smsc ] && dead='s/^#DEAD#//'
  SIP_PORT=$(free_port) ADMIN_PORT=$(free_port) UAS_PORT=$(free_port) DEAD_PORT=$(free_port)
  sed -e "s|@SIP_PORT@|$SIP_PORT|g" -e "s|@ADMIN_PORT@|$ADMIN_PORT|g" -e "s|@UAS_PORT@|$UAS_PORT|g" \
      -e "s|@DEAD_PORT@|$DEAD_PORT|g" -e "s|@CLUSTER_PORT@|$(free_port)|g" -e "s|@SMSC_PORT@|$smsc_port|g" \
      -e "s|@DATA_DIR@|$dir/data|g" -e "s|@CONFIG@|$REPO/config|g" -e "$dead" \
      "$KIT_DIR/node.yaml.in" >"$dir/gateway.yaml"
}

# gateway_start WORKDIR [JAVA_OPTS]: java -jar on WORKDIR/gateway.yaml, log in WORKDIR/gateway.log.
# Sets GATEWAY_PID. GATEWAY_ADMIN_TOKEN (exported) is the bootstrap admin.
gateway_start() {
  local dir=$1 jar
  jar=$(gateway_jar)
  GATEWAY_ADMIN_TOKEN=${GATEWAY_ADMIN_TOKEN:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}
  export GATEWAY_ADMIN_TOKEN
  java ${2:--Xmx512m} -Dhazelcast.phone.home.enabled=false -jar "$jar" --config "$dir/gateway.yaml" \
    >"$dir/gateway.log" 2>&1 &
  GATEWAY_PID=$!
}

# wait_health URL PID [SECONDS]: until GET URL answers 200 with "status":"UP" (every component up,
# SMPP bound included), or die when PID exits; SECONDS (default 300) only bounds a hang.
wait_health() {
  local url=$1 pid=$2 give_up=$((SECONDS + ${3:-300}))
  while [ "$SECONDS" -lt "$give_up" ]; do
    curl -fsS "$url" 2>/dev/null | grep -q '"status":"UP"' && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

# sip_call WORKDIR NAME UAC_SCENARIO SOURCE_IP CALLER CALLED [HOLD_MS]: one call through the gateway at
# 127.0.0.1:SIP_PORT over UDP, answered by a SIPp UAS (uas.xml) on UAS_PORT that records what it
# received in WORKDIR/NAME/uas-messages.log (the callee's side of the call). HOLD_MS: time between
# the 200 and the BYE. UAC_NAME: the From display name of uac-impostor.xml. Both SIPp runs are bounded (-timeout, timeout(1)). 0 when both sides passed.
sip_call() {
  local dir="$1/$2" uac=$3 ip=$4 caller=$5 called=$6 hold=${7:-0} uas_pid rc=0 uas_rc=0
  mkdir -p "$dir"
  (cd "$dir" && exec timeout 60 sipp -sf "$SCENARIOS/uas.xml" -i 127.0.0.1 -p "$UAS_PORT" -t u1 -m 1 \
      -timeout 50s -timeout_error -nostdin -trace_msg -message_file uas-messages.log >uas.out 2>&1) &
  uas_pid=$!
  wait_listening udp 127.0.0.1 "$UAS_PORT" 30 || { stop_pid "$uas_pid"; echo "the SIPp UAS did not start" >&2; return 1; }
  (cd "$dir" && exec timeout 60 sipp "127.0.0.1:$SIP_PORT" -sf "$SCENARIOS/$uac" -i "$ip" -p "$(free_port "$ip")" \
      -t u1 -key caller "$caller" ${UAC_NAME:+-key impostor_name "$UAC_NAME"} -s "$called" -m 1 -d "$hold" -recv_timeout 20000 -timeout 50s -timeout_error \
      -nostdin >uac.out 2>&1) || rc=$?
  wait "$uas_pid" || uas_rc=$?
  [ "$rc" -eq 0 ] && [ "$uas_rc" -eq 0 ]
}

# send_udp PORT: the bytes on stdin as one datagram from 127.0.0.1 to 127.0.0.1:PORT; prints the
# first line of an answer, if one comes within 5 s.
send_udp() {
  python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.sendto(sys.stdin.buffer.read(), ("127.0.0.1", int(sys.argv[1])))
s.settimeout(5)
try:
    print(s.recv(65535).split(b"\r\n", 1)[0].decode("utf-8", "replace"))
except socket.timeout:
    print("(no answer)")
' "$1"
}
