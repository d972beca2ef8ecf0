#!/usr/bin/env bash
# Tests the release tarball the way an operator installs it and systemd runs it:
#   1. bin/package builds it;
#   2. it is installed into a temporary root as docs/operators.md says (release under
#      opt/antifraud-gateway/releases/, the `current` symlink, config copied to etc/antifraud-gateway/,
#      an empty data folder var/lib/antifraud-gateway/ that alone belongs to the service user);
#   3. the unit's ExecStart, WorkingDirectory, Environment and EnvironmentFile are read from the
#      packaged unit file and run as they are, paths under the temporary root, as an unprivileged user
#      (`nobody` via setpriv, with no_new_privs as NoNewPrivileges= sets it) who can write nothing of the
#      installation but the data folder (the unit's ReadWritePaths) and /tmp (its PrivateTmp);
#   4. the operator's edit of the copied config (free loopback ports, the node-smpp SMSC simulator) is
#      all that differs from the shipped one; GET /health must say UP (database, cluster, SMPP bound, SIP);
#   5. SIGTERM: the exit code must be one the unit counts as success (0 or SuccessExitStatus), and the
#      data folder must hold the H2 database;
#   6. `systemd-analyze verify` on the unit, when systemd-analyze can run here (skipped with the reason
#      printed when not, e.g. in a container without systemd).
# Needs root (to switch user; apt-get for missing test dependencies). Exit 0 when everything passed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/kit/lib.sh
bash scripts/install-test-deps.sh

[ "$(id -u)" -eq 0 ] || die "needs root: the gateway is started as nobody with setpriv, as User= would"
RUN_AS=${RUN_AS:-nobody}
id "$RUN_AS" >/dev/null 2>&1 || die "user $RUN_AS does not exist (RUN_AS=...)"

WORK=$(mktemp -d /tmp/test-package.XXXXXX)
chmod 755 "$WORK"
SMSC_PID="" GATEWAY_PID=""
cleanup() {
  stop_pid "$GATEWAY_PID"
  stop_pid "$SMSC_PID"
  if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
fail() { echo "test-package: FAILED: $*"; exit 1; }

echo "== bin/package"
tarball=$(bin/package | tail -n 1)
[ -f "$tarball" ] || fail "bin/package did not print a tarball path"
name=$(basename "$tarball" .tar.gz)
version=${name#antifraud-gateway-}

echo "== install $name into $WORK/root"
R="$WORK/root"
mkdir -p "$R/opt/antifraud-gateway/releases" "$R/etc" "$R/var/lib/antifraud-gateway"
tar -xzf "$tarball" -C "$R/opt/antifraud-gateway/releases"
release="$R/opt/antifraud-gateway/releases/$name"
[ "$(cat "$release/VERSION")" = "$version" ] || fail "VERSION says $(cat "$release/VERSION"), the tarball's name $version"
ln -sfn "releases/$name" "$R/opt/antifraud-gateway/current"
cp -r "$release/config" "$R/etc/antifraud-gateway"
chown -R "$RUN_AS" "$R/var/lib/antifraud-gateway"
chmod 750 "$R/var/lib/antifraud-gateway"
unit="$release/systemd/antifraud-gateway.service"

# The operator's edit: ports, and the SMSC (the simulator, so health can say UP).
smsc_start "$WORK"
SIP_PORT=$(free_port) ADMIN_PORT=$(free_port) CLUSTER_PORT=$(free_port)
sed -i -e "s/port: 5060 }/port: $SIP_PORT }/" -e "s/127.0.0.1:5701/127.0.0.1:$CLUSTER_PORT/" \
       -e "s/127.0.0.1:8080/127.0.0.1:$ADMIN_PORT/g" -e "s/port: 2775/port: $SMSC_PORT/" \
       -e "s/  name: antifraud-registry /  name: package-test-$ADMIN_PORT /" \
       "$R/etc/antifraud-gateway/gateway.yaml"
grep -q "127.0.0.1:$ADMIN_PORT" "$R/etc/antifraud-gateway/gateway.yaml" || fail "could not set the admin port in the copied config"
grep -q "port: $SMSC_PORT" "$R/etc/antifraud-gateway/gateway.yaml" || fail "could not set the SMSC port in the copied config"
admin_token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf 'GATEWAY_ADMIN_TOKEN=%s\n' "$admin_token" >"$R/etc/antifraud-gateway/environment"
chmod 600 "$R/etc/antifraud-gateway/environment"

# What systemd would run, read from the unit (not restated here), with every absolute path of the
# installation moved under the temporary root.
python3 - "$unit" "$R" >"$WORK/unit.env" <<'PY'
import re, shlex, sys
unit, root = sys.argv[1], sys.argv[2]
fields = {}
for line in open(unit, encoding="utf-8"):
    line = line.strip()
    if not line or line.startswith(("#", ";", "[")):
        continue
    key, _, value = line.partition("=")
    fields.setdefault(key, []).append(value)
def rooted(p):
    return root + p if p.startswith(("/opt/antifraud-gateway", "/etc/antifraud-gateway", "/var/lib/antifraud-gateway")) else p
exec_start = [rooted(w) for w in shlex.split(fields["ExecStart"][0])]
env = []
for e in fields.get("Environment", []):
    env += shlex.split(e)
env_files = [f.lstrip("-") for f in fields.get("EnvironmentFile", [])]
print("UNIT_EXEC=(%s)" % " ".join(shlex.quote(w) for w in exec_start))
print("UNIT_DIR=%s" % shlex.quote(rooted(fields["WorkingDirectory"][0])))
print("UNIT_ENV=(%s)" % " ".join(shlex.quote(e) for e in env))
print("UNIT_ENV_FILES=(%s)" % " ".join(shlex.quote(rooted(f)) for f in env_files))
print("UNIT_SUCCESS=(0 %s)" % " ".join(" ".join(fields.get("SuccessExitStatus", [""])).split()))
print("UNIT_USER=%s" % shlex.quote(fields["User"][0]))
print("UNIT_RW=%s" % shlex.quote(" ".join(fields.get("ReadWritePaths", []))))
PY
. "$WORK/unit.env"
[ "$UNIT_RW" = /var/lib/antifraud-gateway ] || fail "ReadWritePaths is '$UNIT_RW', expected the data folder only"
for f in "${UNIT_ENV_FILES[@]}"; do
  [ -f "$f" ] || continue
  while IFS= read -r line; do
    case "$line" in ''|'#'*) ;; *) UNIT_ENV+=("$line") ;; esac
  done <"$f"
done
echo "== start as the unit would: user $RUN_AS (unit: $UNIT_USER), cwd ${UNIT_DIR#$R}, ${UNIT_EXEC[*]#$R}"
(cd "$UNIT_DIR" && exec env -i PATH=/usr/local/bin:/usr/bin:/bin ${JAVA_HOME:+JAVA_HOME=$JAVA_HOME} "${UNIT_ENV[@]}" \
   setpriv --reuid="$RUN_AS" --regid="$(id -g "$RUN_AS")" --clear-groups --no-new-privs -- "${UNIT_EXEC[@]}") \
   >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
if ! wait_health "http://127.0.0.1:$ADMIN_PORT/health" "$GATEWAY_PID" 300; then
  tail -20 "$WORK/gateway.log"
  curl -sS "http://127.0.0.1:$ADMIN_PORT/health" || true
  fail "the installed gateway did not report UP on /health"
fi
echo "PASS started from the package as $RUN_AS: $(curl -fsS "http://127.0.0.1:$ADMIN_PORT/health" | cut -c1-160)..."
# The subshell execs env, setpriv, the launcher and java in turn: GATEWAY_PID is the JVM itself.
ps_line=$(ps -o user=,comm= -p "$GATEWAY_PID")
[ "$(awk '{print $1}' <<<"$ps_line")" = "$RUN_AS" ] && [ "$(awk '{print $2}' <<<"$ps_line")" = java ] \
  || fail "expected the JVM running as $RUN_AS, got: $ps_line"
[ "$(awk '/^NoNewPrivs:/ {print $2}' /proc/"$GATEWAY_PID"/status)" = 1 ] || fail "no_new_privs is not set on the JVM"
echo "PASS the JVM runs as $RUN_AS with no_new_privs"
curl -fsS -H "Authorization: Bearer $admin_token" "http://127.0.0.1:$ADMIN_PORT/v1/warning-numbers?limit=1" >/dev/null \
  || fail "the bootstrap token from EnvironmentFile was not accepted"
echo "PASS EnvironmentFile read: its GATEWAY_ADMIN_TOKEN is accepted"

kill -TERM "$GATEWAY_PID"
rc=0
give_up=$((SECONDS + 120))
while kill -0 "$GATEWAY_PID" 2>/dev/null && [ "$SECONDS" -lt "$give_up" ]; do sleep 0.2; done
kill -0 "$GATEWAY_PID" 2>/dev/null && fail "the gateway did not stop within 120 s of SIGTERM"
wait "$GATEWAY_PID" || rc=$?
GATEWAY_PID=""
ok=no
for s in "${UNIT_SUCCESS[@]}"; do [ "$rc" = "$s" ] && ok=yes; done
[ "$ok" = yes ] || { tail -5 "$WORK/gateway.log"; fail "SIGTERM: exit $rc, not in the unit's success codes (${UNIT_SUCCESS[*]})"; }
echo "PASS SIGTERM: exit $rc, a success for the unit (0 and SuccessExitStatus: ${UNIT_SUCCESS[*]})"
ls "$R/var/lib/antifraud-gateway/data/"registry*.db >/dev/null 2>&1 || fail "no H2 database in the data folder"
stray=$(find "$R" -user "$RUN_AS" ! -path "$R/var/lib/antifraud-gateway*" | head -3)
[ -z "$stray" ] || fail "the gateway wrote outside its data folder: $stray"
echo "PASS the gateway wrote only under var/lib/antifraud-gateway (H2 database there)"

if ! command -v systemd-analyze >/dev/null; then
  echo "SKIP systemd-analyze verify: systemd-analyze is not installed"
else
  # Verify a copy whose paths point into the temporary root, so ExecStart's binary exists.
  vunit="$WORK/antifraud-gateway.service"
  sed -e "s|/opt/antifraud-gateway|$R/opt/antifraud-gateway|g" "$unit" >"$vunit"
  # Unknown keys and unparsable values are only warnings (exit 0): any output is a finding.
  vrc=0
  out=$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify "$vunit" 2>&1) || vrc=$?
  if [ "$vrc" -eq 0 ] && [ -z "$out" ]; then
    echo "PASS systemd-analyze verify: no findings"
  elif grep -qiE 'System has not been booted with systemd|Failed to (connect|initialize)|not been booted|No such file or directory.*bus' <<<"$out"; then
    echo "SKIP systemd-analyze verify: cannot run here ($(head -n 1 <<<"$out"))"
  else
    echo "$out"
    fail "systemd-analyze verify found problems in the unit"
  fi
fi
echo "test-package: passed ($name)"
