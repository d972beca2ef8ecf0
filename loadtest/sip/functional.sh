#!/usr/bin/env bash
# Functional SIPp checks of 反诈名片 branding and the spoof shield through a SIP proxy.
#
#   functional.sh --proxy 127.0.0.1:PORT --uas-port PORT [options]
#   functional.sh --self-test
#   functional.sh --start-gateway
#
# Cases, each over UDP and over TCP (SIPp -t u1 / -t t1), each CALLS calls, exit 1 on any failure:
#   police-trusted   uac-pai.xml from TRUSTED_IP, caller = police number  -> uas-branded.xml:
#                    Call-Info purpose=jcard with call-reason, From display name = card name.
#   forged-trusted   uac-spoof.xml from TRUSTED_IP (forged Call-Info, PAI, display name)
#                    -> uas-branded.xml: the forged branding replaced by the card.
#   spoof-untrusted  uac-spoof.xml from UNTRUSTED_IP, same police number -> uas-unbranded.xml:
#                    no P-Asserted-Identity, no jcard Call-Info.
#   impostor-name    (not in --self-test: the Kamailio reference has no display-name shield)
#                    uac-impostor.xml from UNTRUSTED_IP, an ordinary caller whose From display
#                    name poses as the police (国家反诈中心 over UDP, the evasion 國家 反詐 中心 over
#                    TCP) -> uas-no-impostor.xml: no display name with words, no PAI, no jcard.
#   signed-identity  (--start-gateway only) the gateway signs its cards: police-trusted and
#                    forged-trusted use uas-signed.xml (uas-branded.xml + an Identity with an rcd
#                    PASSporT, RFC 8224/9795, checked with check_it), and the Identity the UAS
#                    received is given to the independent verifier loadtest/identity/verify_identity.py
#                    (PyJWT + cryptography) with the certificate and jCard the gateway's admin API
#                    serves: accepted; with a changed display name, call reason, an iat 2 minutes
#                    old, a wrong key's certificate, or another jCard: rejected.
#   fraud-contact    (--start-gateway only) uac.xml from TRUSTED_IP, caller = the listed fraud
#                    number 17000000099 -> uas.xml: the call passes, and the gateway's admin API
#                    (GET /v1/contact-events?number=CALLED) then lists exactly CALLS contact events,
#                    fraud_to_subscriber, from that fraud number, one per Call-ID; the calls are
#                    answered 1.5 s (SIPp -d) against a tier2-min-duration of 1 s, so each Call-ID
#                    also has a tier-2 event (published when its BYE passed the proxy).
#
# The proxy under test must already run and be configured for this: TRUSTED_IP (default
# 127.0.0.1) a trusted ingress that asserts identity, UNTRUSTED_IP (default 127.0.0.2) unknown and
# forwarded as untrusted (not rejected), POLICE_NUMBER a verified warning number with card
# CARD_NAME, and the called number routed to 127.0.0.1:UAS_PORT over the transport the request
# came in on. The UAS listens on UAS_PORT (UDP for the UDP cases, TCP for the TCP cases). A proxy
# that routes by called-number prefix with a fixed transport per route can be given two called
# numbers: --called (routed over UDP) and --called-tcp (routed over TCP).
#
# --start-gateway starts this project's gateway itself (bin/gateway, building its jar if needed)
# with gateway-functional.yaml.in filled in (UDP and TCP listeners, 127.0.0.1 trusted, the called
# numbers routed to the UAS over UDP and TCP, 96110 carded from bench-warning-numbers.yaml), runs
# every case, and stops it: everything the Maven test needs in one command.
#
# --self-test proves the checks themselves: against kamailio-branding-reference.cfg (a Kamailio
# stand-in for the branding rules) every case must pass; against kamailio-stateless.cfg (no
# branding, PAI passed on) every case must fail; against the reference with another card name,
# the card-name check must fail. Needs kamailio and sipp
# (scripts/install-loadtest-deps.sh).
#
# Options:
#   --police-number N   (default 96110)        --card-name NAME (default 国家反诈中心)
#   --called N          (default 13800138000)  --calls N        (default 3, at 10 calls/s)
#   --called-tcp N      (default: --called)
#   --trusted-ip IP     (default 127.0.0.1)    --untrusted-ip IP (default 127.0.0.2)
#   --transports LIST   (default "udp tcp")    --keep           keep the work directory
# Every SIPp run is bounded (-timeout 300 s, and timeout(1) at 360 s), and a call fails when an
# expected message has not arrived after SIPP_RECV_TIMEOUT_MS (default 60000). The bounds only guard
# against a hang: on a loaded machine the gateway answers late, and a check that raced the clock would
# fail there for no fault of the gateway (issue 12). SIPp retransmits over UDP meanwhile.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PROXY="" UAS_PORT="" SELF_TEST=0 START_GATEWAY=0 KEEP=0 CALLED_TCP="" IMPOSTOR_CASE=1 IMPOSTOR_CALLER=13700000001
POLICE_NUMBER=96110 CARD_NAME="国家反诈中心" CALLED=13800138000 CALLS=3 FRAUD_NUMBER=17000000099
TRUSTED_IP=127.0.0.1 UNTRUSTED_IP=127.0.0.2 TRANSPORTS="udp tcp"
BRANDED_UAS=uas-branded.xml   # uas-signed.xml through this project's gateway, which signs its cards
while [ $# -gt 0 ]; do
  case "$1" in
    --proxy) PROXY=$2; shift 2 ;;
    --uas-port) UAS_PORT=$2; shift 2 ;;
    --police-number) POLICE_NUMBER=$2; shift 2 ;;
    --card-name) CARD_NAME=$2; shift 2 ;;
    --called) CALLED=$2; shift 2 ;;
    --called-tcp) CALLED_TCP=$2; shift 2 ;;
    --calls) CALLS=$2; shift 2 ;;
    --trusted-ip) TRUSTED_IP=$2; shift 2 ;;
    --untrusted-ip) UNTRUSTED_IP=$2; shift 2 ;;
    --transports) TRANSPORTS=$2; shift 2 ;;
    --self-test) SELF_TEST=1; shift ;;
    --start-gateway) START_GATEWAY=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
command -v sipp >/dev/null || die "sipp not found: run scripts/install-loadtest-deps.sh"
[[ "$CALLS" =~ ^[1-9][0-9]*$ ]] || die "--calls must be a positive integer, got '$CALLS'"
if [ "$START_GATEWAY" -eq 1 ] && [ -z "$CALLED_TCP" ]; then
  CALLED_TCP=13900139000
fi
CALLED_TCP=${CALLED_TCP:-$CALLED}

WORK=$(mktemp -d /tmp/sip-functional.XXXXXX)
UAS_PID="" KAM_PID="" GATEWAY_PID=""
cleanup() {
  stop_pid "$UAS_PID"
  stop_pid "$KAM_PID"
  stop_pid "$GATEWAY_PID"
  if [ "$KEEP" -eq 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# run_case NAME TRANSPORT UAC_SCENARIO UAC_IP UAS_SCENARIO [CALLER]: 0 when every call succeeded on
# both sides. CALLER defaults to the police number.
run_case() {
  local name=$1 transport=$2 uac=$3 uac_ip=$4 uas=$5 caller=${6:-$POLICE_NUMBER} t=u1 dir uas_rc=0 uac_rc=0 uac_port
  local card=() called=$CALLED
  [ "$transport" = tcp ] && t=t1 && called=$CALLED_TCP
  case "$uas" in uas-branded.xml|uas-signed.xml) card=(-set card_name "$CARD_NAME") ;; esac
  dir="$WORK/$name-$transport"
  mkdir -p "$dir"
  (cd "$dir" && exec timeout 360 sipp -sf "$SCENARIOS/$uas" -i 127.0.0.1 -p "$UAS_PORT" -t "$t" \
      -m "$CALLS" -timeout 300s -timeout_error -nostdin "${card[@]}" \
      -trace_err -error_file uas-errors.log -trace_logs -log_file uas.log >uas.out 2>&1) &
  UAS_PID=$!
  if ! wait_listening "$transport" 127.0.0.1 "$UAS_PORT" 120; then
    echo "FAIL $name $transport: the UAS did not listen on 127.0.0.1:$UAS_PORT ($transport)"
    tail -5 "$dir/uas.out"
    stop_pid "$UAS_PID"
    UAS_PID=""
    return 1
  fi
  uac_port=$(free_port "$uac_ip")
  (cd "$dir" && exec timeout 360 sipp "$PROXY" -sf "$SCENARIOS/$uac" -i "$uac_ip" -p "$uac_port" \
      -t "$t" -key caller "$caller" ${UAC_NAME:+-key impostor_name "$UAC_NAME"} -s "$called" -m "$CALLS" -r 10 -l "$CALLS" ${UAC_CALL_MS:+-d "$UAC_CALL_MS"} \
      -recv_timeout "${SIPP_RECV_TIMEOUT_MS:-60000}" -timeout 300s -timeout_error -nostdin \
      -trace_err -error_file uac-errors.log >uac.out 2>&1) || uac_rc=$?
  wait "$UAS_PID" || uas_rc=$?
  UAS_PID=""
  if [ "$uac_rc" -eq 0 ] && [ "$uas_rc" -eq 0 ]; then
    echo "PASS $name $transport ($CALLS calls)"
    return 0
  fi
  echo "FAIL $name $transport: uac exit $uac_rc, uas exit $uas_rc (SIPp logs: $dir, kept with --keep)"
  cat "$dir/uas.log" 2>/dev/null | sort | uniq -c | head -5 | sed 's/^/  uas: /'
  grep -h -m 2 -E 'Aborting|Failed|Error|error' "$dir/uac-errors.log" "$dir/uac.out" 2>/dev/null \
    | cut -c1-200 | sed 's/^/  uac: /'
  return 1
}

# run_all: every case on every transport; prints PASS/FAIL lines, returns the number failed.
run_all() {
  local failed=0 transport
  for transport in $TRANSPORTS; do
    run_case police-trusted "$transport" uac-pai.xml "$TRUSTED_IP" "$BRANDED_UAS" || failed=$((failed + 1))
    run_case forged-trusted "$transport" uac-spoof.xml "$TRUSTED_IP" "$BRANDED_UAS" || failed=$((failed + 1))
    run_case spoof-untrusted "$transport" uac-spoof.xml "$UNTRUSTED_IP" uas-unbranded.xml || failed=$((failed + 1))
    if [ "$IMPOSTOR_CASE" -eq 1 ]; then
      local name="国家反诈中心"
      [ "$transport" = tcp ] && name="國家 反詐 中心"
      UAC_NAME=$name run_case impostor-name "$transport" uac-impostor.xml "$UNTRUSTED_IP" uas-no-impostor.xml \
        "$IMPOSTOR_CALLER" || failed=$((failed + 1))
    fi
  done
  return "$failed"
}

count_cases() { local n=0 t; for t in $TRANSPORTS; do n=$((n + 3 + IMPOSTOR_CASE)); done; echo "$n"; }

# check_contact_events TRANSPORT ADMIN_PORT: the fraud-contact calls of TRANSPORT (to its called
# number) left exactly CALLS contact events in the gateway, with distinct Call-IDs.
check_contact_events() {
  local transport=$1 admin_port=$2 called=$CALLED json verdict
  [ "$transport" = tcp ] && called=$CALLED_TCP
  json=$(curl -fsS -H "Authorization: Bearer $GATEWAY_ADMIN_TOKEN" \
    "http://127.0.0.1:$admin_port/v1/contact-events?number=$called&limit=100") || {
    echo "FAIL fraud-contact $transport: GET /v1/contact-events failed"; return 1; }
  verdict=$(printf '%s' "$json" | python3 -c '
import json, sys
calls, fraud = int(sys.argv[1]), "+86" + sys.argv[2]
items = json.load(sys.stdin)["items"]
ours = [i for i in items if i["fraudNumber"] == fraud and i["direction"] == "fraud_to_subscriber"]
ok = [i for i in ours if i.get("tier", 1) == 1]
long_calls = [i for i in ours if i.get("tier") == 2]
ids = {i["callId"] for i in ok}
if not (len(ok) == calls and len(ids) == calls and all(ids)):
    print("expected %d tier-1 events from %s with distinct Call-IDs, got %d: %s" % (calls, fraud, len(ok), json.dumps(items)[:300]))
elif {i["callId"] for i in long_calls} != ids or len(long_calls) != calls:
    print("expected a tier-2 event for each of the %d answered calls longer than tier2-min-duration, got %d: %s"
          % (calls, len(long_calls), json.dumps(long_calls)[:300]))
else:
    print("ok")
' "$CALLS" "$FRAUD_NUMBER")
  if [ "$verdict" = ok ]; then
    echo "PASS fraud-contact $transport: $CALLS contact events, one per Call-ID, and a tier-2 event for each (answered 1.5 s, tier 2 from 1 s), in GET /v1/contact-events"
    return 0
  fi
  echo "FAIL fraud-contact $transport: $verdict"
  return 1
}

# check_identity TRANSPORT ADMIN_PORT: the Identity the UAS of police-trusted TRANSPORT received
# (logged by uas-signed.xml) is accepted by the independent verifier with the certificate and the
# jCard the gateway serves, and each tampering is rejected.
check_identity() {
  local transport=$1 admin_port=$2 dir="$WORK/police-trusted-$1" id_dir="$WORK/identity" identity crn out bad=""
  local dest=$CALLED
  [ "$transport" = tcp ] && dest=$CALLED_TCP
  # The last Identity the UAS logged, and when it logged it (the log's modification time): freshness is
  # judged at the moment the UAS received the INVITE, as a real verifier would, not minutes later when
  # this check runs (on a busy machine the SIPp runs between the two took more than the 60 s allowed).
  identity=$(sed -n 's/^.*IDENTITY[ ]*//p' "$dir/uas.log" 2>/dev/null | tail -n 1)
  [ -n "$identity" ] || { echo "FAIL signed-identity $transport: the UAS logged no Identity"; return 1; }
  local received
  received=$(stat -c %Y "$dir/uas.log")
  curl -fsS "http://127.0.0.1:$admin_port/identity/cert.pem" -o "$dir/x5u.pem" \
    && curl -fsS "http://127.0.0.1:$admin_port/cards/+86$POLICE_NUMBER" -o "$dir/jcard.json" \
    || { echo "FAIL signed-identity $transport: GET /identity/cert.pem or /cards/+86$POLICE_NUMBER failed"; return 1; }
  crn=$(/usr/bin/python3 -c 'import json,sys; print([p[3] for p in json.load(open(sys.argv[1]))[1] if p[0] == "note"][0])' \
    "$dir/jcard.json")
  printf '["vcard",[]]' >"$dir/other-jcard.json"
  # verify CERT NAM CRN JCARD [EXTRA...]: the independent verifier's verdict on what the UAS received.
  verify() {
    /usr/bin/python3 "$SIP_DIR/../identity/verify_identity.py" --identity "$identity" --ca "$id_dir/ca.cert.pem" \
      --orig "86$POLICE_NUMBER" --dest "86$dest" --cert "$1" --nam "$2" --crn "$3" --jcard "$4" --now "$received" "${@:5}"
  }
  out=$(verify "$dir/x5u.pem" "$CARD_NAME" "$crn" "$dir/jcard.json") \
    || { echo "FAIL signed-identity $transport: the independent verifier refused our Identity: $out"; return 1; }
  verify "$dir/x5u.pem" "公安局" "$crn" "$dir/jcard.json" >/dev/null && bad="$bad changed-name"
  verify "$dir/x5u.pem" "$CARD_NAME" "请立即转账" "$dir/jcard.json" >/dev/null && bad="$bad changed-reason"
  verify "$dir/x5u.pem" "$CARD_NAME" "$crn" "$dir/jcard.json" --now $(( received + 120 )) >/dev/null && bad="$bad expired-iat"
  verify "$id_dir/other.cert.pem" "$CARD_NAME" "$crn" "$dir/jcard.json" >/dev/null && bad="$bad wrong-key"
  verify "$dir/x5u.pem" "$CARD_NAME" "$crn" "$dir/other-jcard.json" >/dev/null && bad="$bad other-jcard"
  if [ -n "$bad" ]; then
    echo "FAIL signed-identity $transport: the independent verifier accepted tampered cases:$bad"
    return 1
  fi
  echo "PASS signed-identity $transport: independent verifier ACCEPT; changed name, reason, expired iat, wrong key, other jCard REJECT"
}

if [ "$START_GATEWAY" -eq 1 ]; then
  repo="$(cd "$SIP_DIR/../.." && pwd)"
  BRANDED_UAS=uas-signed.xml
  bash "$SIP_DIR/../identity/make-test-cert.sh" "$WORK/identity" 2 >/dev/null
  UAS_PORT=$(free_port)
  sip_port=$(free_port)
  admin_port=$(free_port)
  GATEWAY_ADMIN_TOKEN=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  export GATEWAY_ADMIN_TOKEN
  sed -e "s|@SIP_PORT@|$sip_port|g" -e "s|@UAS_PORT@|$UAS_PORT|g" -e "s|@ADMIN_PORT@|$admin_port|g" \
      -e "s|@CLUSTER_PORT@|$(free_port)|g" -e "s|@DATA_DIR@|$WORK/gateway-data|g" -e "s|@REPO@|$repo|g" \
      -e "s|@CALLED@|$CALLED|g" -e "s|@CALLED_TCP@|$CALLED_TCP|g" \
      -e "s|@WARNING_LIST@|$SIP_DIR/bench-warning-numbers.yaml|g" \
      -e "s|@FRAUD_LIST@|$SIP_DIR/functional-fraud-numbers.csv|g" \
      "$SIP_DIR/gateway-functional.yaml.in" | awk -v dir="$WORK/identity" -v port="$admin_port" '
        /# @IDENTITY@/ {
          print "  identity:"; print "    signing:"
          print "      key-file: " dir "/signer.key.pem"; print "      certificate-file: " dir "/signer.cert.pem"
          print "      x5u-url: \"http://127.0.0.1:" port "/identity/cert.pem\""; next }
        { print }' >"$WORK/gateway.yaml"
  "$repo/bin/gateway" --config "$WORK/gateway.yaml" >"$WORK/gateway.log" 2>&1 &
  GATEWAY_PID=$!
  # bin/gateway may build the jar first (minutes on a cold machine); then health must say UP.
  for ((i = 0; i < 3000; i++)); do
    curl -fsS "http://127.0.0.1:$admin_port/health" 2>/dev/null | grep -q '"status":"UP"' && break
    kill -0 "$GATEWAY_PID" 2>/dev/null || { tail -20 "$WORK/gateway.log" >&2; die "the gateway exited during startup"; }
    sleep 0.1
  done
  [ "$i" -lt 3000 ] || { tail -20 "$WORK/gateway.log" >&2; die "the gateway's health did not say UP within 300 s"; }
  PROXY="127.0.0.1:$sip_port"
  failed=0
  run_all || failed=$?
  for transport in $TRANSPORTS; do
    check_identity "$transport" "$admin_port" || failed=$((failed + 1))
  done
  for transport in $TRANSPORTS; do
    # Calls answered 1.5 s, above the functional config's tier2-min-duration of 1 s: tier 2 at each BYE.
    if UAC_CALL_MS=1500 run_case fraud-contact "$transport" uac.xml "$TRUSTED_IP" uas.xml "$FRAUD_NUMBER"; then
      check_contact_events "$transport" "$admin_port" || failed=$((failed + 1))
    else
      echo "FAIL fraud-contact $transport: the calls from the fraud number failed"
      failed=$((failed + 1))
    fi
  done
  total=$(( $(count_cases) + 2 * $(echo $TRANSPORTS | wc -w) ))
  if [ "$failed" -eq 0 ]; then echo "functional: all $total cases passed through the gateway"; exit 0; fi
  echo "functional: some cases failed through the gateway (its log: $WORK/gateway.log, kept with --keep)"
  exit 1
fi

if [ "$SELF_TEST" -eq 0 ]; then
  [ -n "$PROXY" ] || die "--proxy HOST:PORT is required (or --self-test)"
  [ -n "$UAS_PORT" ] || die "--uas-port is required: the port the proxy routes the called number to"
  if run_all; then echo "functional: all $(count_cases) cases passed"; exit 0; fi
  echo "functional: some cases failed"
  exit 1
fi

command -v kamailio >/dev/null || die "kamailio not found: run scripts/install-loadtest-deps.sh"
IMPOSTOR_CASE=0
UAS_PORT=$(free_port)
KPORT=$(free_port)
PROXY="127.0.0.1:$KPORT"
defines=(-A "UAS_URI=\"sip:127.0.0.1:$UAS_PORT\"" -A "TRUSTED_IP=\"$TRUSTED_IP\""
  -A "POLICE_NUMBER=\"$POLICE_NUMBER\"" -A "CARD_NAME=\"$CARD_NAME\"")

echo "self-test 1/3: Kamailio with the reference branding rules, every case must pass"
kamailio_start "$KAMAILIO_DIR/kamailio-branding-reference.cfg" "$KPORT" "$WORK/kam-ref" "${defines[@]}"
ref_failed=0
run_all || ref_failed=$?
stop_pid "$KAM_PID"
KAM_PID=""

echo "self-test 2/3: plain stateless Kamailio (no branding), every case must fail"
KPORT=$(free_port)
PROXY="127.0.0.1:$KPORT"
kamailio_start "$KAMAILIO_DIR/kamailio-stateless.cfg" "$KPORT" "$WORK/kam-plain" -A "UAS_URI=\"sip:127.0.0.1:$UAS_PORT\""
plain_failed=0
run_all || plain_failed=$?
stop_pid "$KAM_PID"
KAM_PID=""

echo "self-test 3/3: reference rules with another card name, the card-name check must fail"
KPORT=$(free_port)
PROXY="127.0.0.1:$KPORT"
kamailio_start "$KAMAILIO_DIR/kamailio-branding-reference.cfg" "$KPORT" "$WORK/kam-other" \
  -A "UAS_URI=\"sip:127.0.0.1:$UAS_PORT\"" -A "TRUSTED_IP=\"$TRUSTED_IP\"" \
  -A "POLICE_NUMBER=\"$POLICE_NUMBER\"" -A "CARD_NAME=\"某市公安反诈中心\""
name_check_failed=0
run_case wrong-card-name udp uac-pai.xml "$TRUSTED_IP" uas-branded.xml || name_check_failed=1
stop_pid "$KAM_PID"
KAM_PID=""

total=$(count_cases)
if [ "$ref_failed" -eq 0 ] && [ "$plain_failed" -eq "$total" ] && [ "$name_check_failed" -eq 1 ]; then
  echo "self-test: passed (reference: $total of $total passed; plain: $total of $total failed as they must; wrong card name caught)"
  exit 0
fi
echo "self-test: FAILED (reference: $ref_failed of $total failed; plain: $plain_failed of $total failed, all must; wrong card name caught: $name_check_failed)"
exit 1
