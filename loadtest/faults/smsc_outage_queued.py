#!/usr/bin/env python3
"""Fault run: an SMSC outage with warnings queued (issue 11). Nothing may expire, nothing may burn CPU.

    loadtest/faults/smsc_outage_queued.py [--warnings 10000] [--outage-s 300] [--clients 8] [--timeout-s 600]

On loopback with ports chosen free at run time and a temporary data directory:
  1. starts the node-smpp SMSC simulator (loadtest/smsc-sim) and the gateway (bin/gateway, H2 default);
  2. stops the simulator: the outage starts once the gateway's health shows the bind down;
  3. posts --warnings police instructions with --clients concurrent clients (POST /v1/warnings), then
     waits out the rest of --outage-s; measures POST latency, and the gateway JVM's CPU over the outage
     from /proc/PID/stat (utime+stime): while posting, and while only waiting (from 10 s after the last
     POST to the end of the outage, at least 30 s: the outage is stretched if posting took most of it);
  4. starts the simulator again on the same port and waits until every job is final;
  5. checks every job's final state against the receipt the simulator sent for its parts, and
     smpp_jobs_final_total against the job count.
Exit 0 when every warning was sent after the outage, no job was lost or mismatched, and the waiting CPU
stayed under --max-cpu-percent (5% of a core by default). The figures are printed; the machine may be
shared and busy, so read them as such. bin/test runs it with a shorter outage (see docs/smpp-gateway.md).
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter

import kill9_queued_jobs as fault

CLK_TCK = os.sysconf("SC_CLK_TCK")
SETTLE_S = 10
MIN_WAIT_S = 30


def cpu_seconds(pid):
    """utime + stime of the process, in seconds (proc(5): fields 14 and 15 of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def java_pid(proc):
    """bin/gateway execs java, so the child is the JVM itself."""
    return proc.pid


def metric(base, name):
    with urllib.request.urlopen(base + "/metrics", timeout=10) as r:
        text = r.read().decode()
    return sum(float(m.group(1)) for m in re.finditer(r"^" + re.escape(name) + r"(?:\{[^}]*\})? ([0-9.eE+-]+)$", text, re.M))


def health_smpp(base):
    try:
        with urllib.request.urlopen(base + "/health", timeout=5) as r:
            body = r.read()
    except urllib.error.HTTPError as e:
        body = e.read()
    except OSError:
        return None
    return fault.json.loads(body).get("components", {}).get("smpp", {}).get("status")


def wait_for(what, condition, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.5)
    sys.exit(f"{what}: not reached within {seconds} s")


def start_sim(port, work, tag):
    return subprocess.Popen(["node", os.path.join(fault.SIM_DIR, "smsc.js"), "--port", str(port),
                             "--log", os.path.join(work, f"submits-{tag}.jsonl"),
                             "--receipts-log", os.path.join(work, "receipts.jsonl"),
                             "--receipt-delay-ms", "50", "--fail-every", "17", "--lifetime-s", "3600"],
                            stdout=open(os.path.join(work, f"smsc-{tag}.log"), "w"))


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def check_receipts(base, warning_ids, sent_path, clients):
    """Every job's final state against the receipts sent for its parts; returns (states, mismatches, jobs)."""
    sent = fault.receipts_sent(sent_path)
    states, mismatches, jobs = Counter(), [], 0

    def one(wid):
        status, body = fault.http("GET", f"{base}/v1/warnings/{wid}")
        return wid, status, body

    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        for wid, status, body in pool.map(one, warning_ids):
            if status != 200:
                mismatches.append(f"warning {wid}: HTTP {status}")
                continue
            for job in body["jobs"]:
                jobs += 1
                states[job["state"]] += 1
            mismatches.extend(fault.receipt_mismatches(body["jobs"], sent))
    return states, mismatches, jobs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--warnings", type=int, default=10000)
    ap.add_argument("--outage-s", type=float, default=300)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--timeout-s", type=float, default=600, help="for the jobs to end after the outage")
    ap.add_argument("--max-cpu-percent", type=float, default=5.0)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(fault.SIM_DIR, "node_modules", "smpp")):
        sys.exit("the SMSC simulator's package is missing: run scripts/install-test-deps.sh")

    work = tempfile.mkdtemp(prefix="outage-")
    ports = dict(admin=fault.free_port(), cluster=fault.free_port(), sip=fault.free_port(),
                 sip_sink=fault.free_port(), smsc=fault.free_port())
    config = os.path.join(work, "gateway.yaml")
    with open(config, "w") as f:
        f.write(fault.CONFIG.format(data=os.path.join(work, "data"), tps=0, repo=fault.REPO, **ports))
    base = f"http://127.0.0.1:{ports['admin']}"
    sim = start_sim(ports["smsc"], work, "before")
    gateway = None
    ok = False
    try:
        gateway = fault.start_gateway(config, os.path.join(work, "gateway.log"))
        fault.wait_smpp_up(ports["admin"], gateway)
        sim.send_signal(signal.SIGTERM)
        sim.wait(10)
        wait_for("bind down", lambda: health_smpp(base) not in ("UP", None), 120)
        pid = java_pid(gateway)
        t0, cpu0 = time.time(), cpu_seconds(pid)

        latencies, ids = [], []

        def post(i):
            started = time.perf_counter()
            status, body = fault.http("POST", base + "/v1/warnings",
                                      {"subscriber": "136%08d" % i, "fraudType": "fake_investment", "tier": 1})
            return time.perf_counter() - started, status, body

        with concurrent.futures.ThreadPoolExecutor(a.clients) as pool:
            for took, status, body in pool.map(post, range(a.warnings)):
                if status != 202:
                    sys.exit(f"POST /v1/warnings answered {status}: {body}")
                latencies.append(took * 1000)
                ids.append(body["id"])
        t_posted, cpu_posted = time.time(), cpu_seconds(pid)
        # The waiting cost is measured from SETTLE_S after the last POST (the intake's own commits and
        # garbage settle first) to the end of the outage, over at least MIN_WAIT_S: the outage is
        # stretched if posting took most of it.
        end = max(t0 + a.outage_s, t_posted + SETTLE_S + MIN_WAIT_S)
        if end > t0 + a.outage_s:
            print(f"note: posting took {t_posted - t0:.0f} s; the outage is stretched to {end - t0:.0f} s")
        time.sleep(SETTLE_S)
        t_settled, cpu_settled = time.time(), cpu_seconds(pid)
        time.sleep(max(0.0, end - time.time()))
        t_end, cpu_end = time.time(), cpu_seconds(pid)
        posting_cpu = 100 * (cpu_posted - cpu0) / max(1e-9, t_posted - t0)
        waiting_s = t_end - t_settled
        waiting_cpu = 100 * (cpu_end - cpu_settled) / waiting_s
        print(f"outage {t_end - t0:.0f} s: posted {len(ids)} warnings in {t_posted - t0:.1f} s "
              f"({len(ids) / max(1e-9, t_posted - t0):.0f}/s, {a.clients} clients), POST p50 {percentile(latencies, 50):.1f} ms "
              f"p99 {percentile(latencies, 99):.1f} ms; gateway CPU {posting_cpu:.1f}% of a core while posting, "
              f"{waiting_cpu:.2f}% while waiting ({waiting_s:.0f} s)")

        sim = start_sim(ports["smsc"], work, "after")
        t_back = time.time()
        wait_for("bind up again", lambda: health_smpp(base) == "UP", 120)
        expected_jobs = len(ids)  # tier 1 without family contacts: one job per warning
        wait_for("every job final", lambda: metric(base, "smpp_jobs_final_total") >= expected_jobs, a.timeout_s)
        print(f"after the outage: {expected_jobs} jobs final in {time.time() - t_back:.0f} s")
        states, mismatches, jobs = check_receipts(base, ids, os.path.join(work, "receipts.jsonl"), a.clients)
        finals = metric(base, "smpp_jobs_final_total")
        print(f"jobs {jobs}: {dict(states)}; smpp_jobs_final_total {finals:.0f}; {len(mismatches)} mismatched")
        for m in mismatches[:10]:
            print("  ", m)
        ok = (not mismatches and jobs == expected_jobs and finals == jobs and not (waiting_cpu > a.max_cpu_percent)
              and states.get("EXPIRED", 0) == 0)
        print("outage: PASS" if ok else f"outage: FAIL (work directory kept: {work})")
        return 0 if ok else 1
    finally:
        if gateway is not None and gateway.poll() is None:
            gateway.terminate()
            try:
                gateway.wait(30)
            except subprocess.TimeoutExpired:
                gateway.kill()
        if sim.poll() is None:
            sim.terminate()
            sim.wait(10)
        if ok and not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
