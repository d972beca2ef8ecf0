#!/usr/bin/env bash
# Installs what the tests need beyond Java and Maven: SIPp (Debian sip-tester), PostgreSQL 15, curl, ss,
# python3, node and npm (Debian nodejs, npm), openssl and python3-jwt + python3-cryptography (test
# certificates and the independent Identity verifier), and the node-smpp SMSC simulator's npm package.
# Idempotent and quiet when everything is already there. Needs root (apt-get), as on CI.
# Leaves the system's files as it found them: an existing /usr/sbin/policy-rc.d is kept as it is.
set -euo pipefail

need=()
command -v sipp >/dev/null 2>&1 || need+=(sip-tester)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql)
# The SIPp checks wait for the gateway's health with curl and find free ports with ss.
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v ss >/dev/null 2>&1 || need+=(iproute2)
command -v python3 >/dev/null 2>&1 || need+=(python3)
# The kill -9 fault run drives a node-smpp SMSC simulator (loadtest/smsc-sim).
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
# The independent Identity verifier (loadtest/identity/verify_identity.py) runs on Debian's PyJWT and cryptography.
/usr/bin/python3 -c 'import jwt, cryptography' >/dev/null 2>&1 || need+=(python3-jwt python3-cryptography)
command -v openssl >/dev/null 2>&1 || need+=(openssl)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-deps: need root to apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "install-test-deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  # policy-rc.d keeps the package from starting a system-wide server; tests start their own on a free
  # port. One that is already there is the system's own: it is used as it is and left in place.
  ours=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    ours=1
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  if [ "$ours" -eq 1 ]; then
    rm -f /usr/sbin/policy-rc.d
    trap - EXIT
  fi
fi

# The node-smpp SMSC simulator of the kill -9 fault run (loadtest/smsc-sim), pinned by its lock file.
sim="$(cd "$(dirname "$0")/.." && pwd)/loadtest/smsc-sim"
if [ ! -d "$sim/node_modules/smpp" ]; then
  command -v npm >/dev/null 2>&1 || { echo "install-test-deps: npm is needed for loadtest/smsc-sim" >&2; exit 1; }
  (cd "$sim" && npm ci --no-audit --no-fund --loglevel=error)
fi
