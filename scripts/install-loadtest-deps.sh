#!/usr/bin/env bash
# Installs the SIP load-test peers: SIPp (Debian sip-tester) and Kamailio 5.6 (Debian kamailio),
# the benchmark's reference proxy. Idempotent and quiet when both are there. Needs root (apt-get).
# The kamailio package would start a system-wide daemon on port 5060; policy-rc.d stops that, the
# benchmark starts its own on a free loopback port with a pid file in a temp directory.
set -euo pipefail

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
