#!/usr/bin/env bash
# Installs the load-test peers: SIPp (Debian sip-tester), Kamailio 5.6 (Debian kamailio), the
# benchmark's reference proxy, and the node-smpp SMSC simulator. Idempotent. Needs root (apt-get).
# The kamailio package would start a system-wide daemon on port 5060; policy-rc.d stops that, the
# benchmark starts its own on a free loopback port with a pid file in a temp directory.
set -euo pipefail

# The node-smpp SMSC simulator of the fault scripts (loadtest/smsc-sim), from the npm registry,
# pinned by its package-lock.json.
sim="$(cd "$(dirname "$0")/.." && pwd)/loadtest/smsc-sim"
if [ ! -d "$sim/node_modules/smpp" ]; then
  command -v npm >/dev/null 2>&1 || { echo "install-loadtest-deps: npm is needed for loadtest/smsc-sim" >&2; exit 1; }
  (cd "$sim" && npm ci --no-audit --no-fund --loglevel=error)
fi

need=()
command -v sipp >/dev/null 2>&1 || need+=(sip-tester)
command -v kamailio >/dev/null 2>&1 || need+=(kamailio)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-loadtest-deps: need root to apt-get install ${need[*]}" >&2
  exit 1
fi
echo "install-loadtest-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=300 update -qq
had_policy=0
[ -e /usr/sbin/policy-rc.d ] && had_policy=1
if [ "$had_policy" -eq 0 ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
