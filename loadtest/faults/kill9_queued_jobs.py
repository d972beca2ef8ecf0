#!/usr/bin/env python3
"""Fault run: the gateway is killed with kill -9 while warnings are queued, then restarted.

    loadtest/faults/kill9_queued_jobs.py [--warnings 300] [--tps 25] [--kill-after-s 4] [--timeout-s 240]

What it does, all on loopback with ports chosen free at run time and a temporary data directory:
  1. starts the node-smpp SMSC simulator (loadtest/smsc-sim, not jsmpp's code) and the gateway
     (bin/gateway with a generated config: one bind at --tps submit_sm per second, H2 file);
  2. posts --warnings police instructions (tier 1, one distinct subscriber each) to POST /v1/warnings;
  3. after --kill-after-s, kills the gateway's JVM with SIGKILL: jobs are queued, some submitted,
     some in flight;
  4. starts the gateway again on the same data directory and waits until every warning's jobs
     are final (GET /v1/warnings/{id});
  5. prints what the SMSC saw: every subscriber reached (nothing lost) and how many parts it
     received twice (duplicates after the ambiguous in-flight submits; expected, and counted);
  6. checks receipts: the simulator fails every 13th message (UNDELIV) and logs the receipt it sent
     for each message id; every job's final state must be what its parts' receipts say.
Exit 0 when every job is final as its receipts say and every subscriber got its message; 1 otherwise.
Needs node/npm (scripts/install-loadtest-deps.sh installs the simulator's package), curl not needed.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SIM_DIR = os.path.join(REPO, "loadtest", "smsc-sim")
TOKEN = "fault-run-" + os.urandom(8).hex()

CONFIG = """\
node: {{ id: fault-1, data-dir: {data} }}
cluster: {{ name: fault-{admin}, bind: "127.0.0.1:{cluster}", members: [] }}
sip:
  listeners: [ {{ transport: udp, address: 127.0.0.1, port: {sip} }} ]
  default-route: "127.0.0.1:{sip_sink}:udp"
  card-base-url: "http://127.0.0.1:{admin}/cards/"
smpp:
  smscs:
    - name: sim
      host: 127.0.0.1
      port: {smsc}
      binds: [ {{ system-id: antifraud, password-env: FAULT_SMSC_PASSWORD, type: transceiver, count: 1 }} ]
  window: 10
  tps: {tps}
  response-timeout: 2s
  job-lease: 5s
  reconnect: {{ initial: 200ms, max: 2s }}
  retry: {{ max-age: 10m, initial: 500ms, max: 5s, after-timeout: true }}
  templates: {repo}/config/templates
admin:
  bind: "127.0.0.1:{admin}"
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def receipts_sent(path):
    """The simulator's --receipts-log: submit_sm_resp id -> stat of the receipt it sent (DELIVRD, UNDELIV, EXPIRED)."""
    sent = {}
    if os.path.exists(path):
        for line in open(path):
            r = json.loads(line)
            sent[r["id"]] = r["stat"]
    return sent


def expected_state(stats):
    """A job is FAILED if one part failed, else EXPIRED if one expired, else DELIVERED (JobLifecycle)."""
    if "UNDELIV" in stats:
        return "FAILED"
    return "EXPIRED" if "EXPIRED" in stats else "DELIVERED"


def receipt_mismatches(jobs, sent):
    """Jobs (GET /v1/warnings/{id} "jobs" entries) whose state is not what the receipts sent for their parts say."""
    out = []
    for job in jobs:
        stats = [sent.get(i) for i in job["messageIds"]]
        if None in stats:
            out.append(f"job {job['id']} {job['state']}: a part without a receipt sent {job['messageIds']}")
        elif job["state"] != expected_state(stats):
            out.append(f"job {job['id']} {job['state']} but the SMSC sent {stats}")
    return out


def start_gateway(config, log_path):
    env = dict(os.environ, GATEWAY_ADMIN_TOKEN=TOKEN, FAULT_SMSC_PASSWORD="secret")
    log = open(log_path, "ab")
    return subprocess.Popen([os.path.join(REPO, "bin", "gateway"), "--config", config], cwd=REPO, env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def wait_smpp_up(admin, proc, seconds=300):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("the gateway exited during startup; see its log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{admin}/health", timeout=2) as r:
                health = json.loads(r.read())
        except urllib.error.HTTPError as e:
            health = json.loads(e.read())
        except OSError:
            time.sleep(0.2)
            continue
        if health.get("components", {}).get("smpp", {}).get("status") == "UP":
            return
        time.sleep(0.2)
    sys.exit("the gateway's SMPP bind did not come up")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--warnings", type=int, default=300)
    ap.add_argument("--tps", type=int, default=25)
    ap.add_argument("--kill-after-s", type=float, default=4)
    ap.add_argument("--timeout-s", type=float, default=240)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(SIM_DIR, "node_modules", "smpp")):
        sys.exit("the SMSC simulator's package is missing: run scripts/install-loadtest-deps.sh")

    work = tempfile.mkdtemp(prefix="kill9-")
    ports = dict(admin=free_port(), cluster=free_port(), sip=free_port(), sip_sink=free_port(), smsc=free_port())
    config = os.path.join(work, "gateway.yaml")
    with open(config, "w") as f:
        f.write(CONFIG.format(data=os.path.join(work, "data"), tps=a.tps, repo=REPO, **ports))
    submits = os.path.join(work, "smsc-submits.jsonl")
    receipts = os.path.join(work, "smsc-receipts.jsonl")
    sim = subprocess.Popen(["node", os.path.join(SIM_DIR, "smsc.js"), "--port", str(ports["smsc"]), "--log", submits,
                            "--receipts-log", receipts, "--fail-every", "13",
                            "--lifetime-s", str(int(a.timeout_s + 600))], stdout=open(os.path.join(work, "smsc.log"), "w"))
    gateway = None
    try:
        gw_log = os.path.join(work, "gateway.log")
        gateway = start_gateway(config, gw_log)
        wait_smpp_up(ports["admin"], gateway)
        base = f"http://127.0.0.1:{ports['admin']}"
        ids = []
        t0 = time.time()
        for i in range(a.warnings):
            status, body = http("POST", base + "/v1/warnings",
                                {"subscriber": "139%08d" % (10_000_000 + i), "fraudType": "fake_investment", "tier": 1})
            if status != 202:
                sys.exit(f"POST /v1/warnings answered {status}: {body}")
            ids.append(body["id"])
        posted_s = time.time() - t0
        time.sleep(max(0.0, a.kill_after_s - posted_s))
        gateway.send_signal(signal.SIGKILL)
        gateway.wait()
        seen_at_kill = sum(1 for _ in open(submits)) if os.path.exists(submits) else 0
        print(f"posted {len(ids)} warnings in {posted_s:.1f} s; SIGKILL after {max(a.kill_after_s, posted_s):.1f} s "
              f"with {seen_at_kill} submit_sm accepted by the SMSC so far")

        t_restart = time.time()
        gateway = start_gateway(config, gw_log)
        wait_smpp_up(ports["admin"], gateway)
        states = Counter()
        stuck = {}
        all_jobs = []
        while time.time() - t_restart < a.timeout_s:
            states = Counter()
            stuck = {}
            all_jobs = []
            for wid in ids:
                status, body = http("GET", f"{base}/v1/warnings/{wid}")
                if status != 200:
                    states[f"HTTP {status}"] += 1
                    continue
                for job in body["jobs"]:
                    states[job["state"]] += 1
                    all_jobs.append(job)
                    if job["state"] not in ("DELIVERED", "FAILED", "EXPIRED"):
                        stuck[job["id"]] = job
            if set(states) <= {"DELIVERED", "FAILED", "EXPIRED"} and sum(states.values()) >= len(ids):
                break
            time.sleep(2)
        print(f"after restart ({time.time() - t_restart:.0f} s): job states {dict(states)}")
        for job in list(stuck.values())[:10]:
            print("  not final:", json.dumps(job, ensure_ascii=False))

        lines = [json.loads(l) for l in open(submits)]
        parts = Counter((l["destination"], (l["part"] or {}).get("seq", 1)) for l in lines)
        reached = {d for d, _ in parts}
        # The gateway sends international numbers without '+' (TON international, SMPP 3.4 §5.2.5).
        wanted = {"86139%08d" % (10_000_000 + i) for i in range(a.warnings)}
        missing = a.warnings - len(reached & wanted)
        duplicates = sum(n - 1 for n in parts.values())
        print(f"SMSC: {len(lines)} submit_sm accepted, {len(parts)} distinct parts, {duplicates} duplicate parts, "
              f"{len(reached & wanted)}/{a.warnings} subscribers reached, {missing} missing")
        mismatched = receipt_mismatches(all_jobs, receipts_sent(receipts))
        print(f"receipts: {len(all_jobs)} jobs, {len(mismatched)} whose final state differs from the receipts sent")
        for m in mismatched[:10]:
            print("  ", m)
        ok = not stuck and sum(states.values()) >= len(ids) and missing == 0 and not mismatched
        print("kill9: PASS, nothing lost, nothing mismatched" if ok else f"kill9: FAIL (work directory kept: {work})")
        if not ok:
            a.keep = True
        return 0 if ok else 1
    finally:
        if gateway is not None and gateway.poll() is None:
            gateway.terminate()
            try:
                gateway.wait(30)
            except subprocess.TimeoutExpired:
                gateway.kill()
        sim.terminate()
        sim.wait(10)
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
