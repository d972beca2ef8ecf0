#!/usr/bin/env python3
"""Fault run: an SMSC outage with warnings queued (issue 11). Nothing may expire, nothing may burn CPU.

    loadtest/faults/smsc_outage_queued.py [--warnings 10000] [--outage-s 300] [--clients 8]
                                          [--batch 0] [--timeout-s 600] [--max-cpu-percent 5]

On loopback with ports chosen free at run time and a temporary data directory:
  1. starts the node-smpp SMSC simulator (loadtest/smsc-sim) and the gateway (bin/gateway, H2 default, the
     shipped smpp.reconnect backoff: what is measured is what a carrier runs);
  2. stops the simulator: the outage starts once the gateway's health shows the bind down;
  3. posts --warnings police instructions with --clients concurrent clients: one per POST /v1/warnings, or
     with --batch N as NDJSON batches of N lines (POST /v1/warnings:batch); then waits out the rest of
     --outage-s. Measures POST latency (per request: a batch's latency is the whole batch's), and the gateway
     JVM's CPU from /proc/PID/stat: while posting, and while only waiting, from --settle-s after the last POST
     (the intake's JIT compilation and garbage settle first) to the end of the outage, over at least 30 s
     (the outage is stretched if posting took most of it); the waiting CPU is also printed per thread group;
  4. starts the simulator again on the same port and waits until every job is final;
  5. checks every job's final state against the receipt the simulator sent for its parts,
     smpp_jobs_final_total against the job count, and counts the parts the SMSC received more than once.
Exit 0 when every warning was sent after the outage, no job was lost, expired or mismatched, and the waiting
CPU stayed under --max-cpu-percent. The machine may be shared and busy: read the figures as such.
bin/test runs it with a shorter outage (see docs/smpp-gateway.md).
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter

import faultlib as fl

MIN_WAIT_S = 30


def post_one(base, i):
    started = time.perf_counter()
    status, body = fl.http("POST", base + "/v1/warnings", warning(i))
    if status != 202:
        sys.exit(f"POST /v1/warnings answered {status}: {body}")
    return time.perf_counter() - started, [body["id"]]


def post_batch(base, first, n):
    started = time.perf_counter()
    ndjson = "".join(json.dumps(warning(i)) + "\n" for i in range(first, first + n)).encode()
    status, body = fl.http("POST", base + "/v1/warnings:batch", ndjson, "application/x-ndjson")
    if status != 200:
        sys.exit(f"POST /v1/warnings:batch answered {status}: {str(body)[:300]}")
    results = [json.loads(l) for l in body.splitlines() if l.strip()] if isinstance(body, str) else [body]
    ids = []
    for r in results:
        if r.get("result") != "accepted":
            sys.exit(f"batch line {r.get('line')}: {r}")
        ids.append(r["id"])
    if len(ids) != n:
        sys.exit(f"a batch of {n} lines answered {len(ids)} results")
    return time.perf_counter() - started, ids


def warning(i):
    return {"subscriber": "136%08d" % i, "fraudType": "fake_investment", "tier": 1}


def check_receipts(base, warning_ids, sent_path, clients):
    """Every job's final state against the receipts sent for its parts; returns (states, mismatches, jobs)."""
    sent = fl.receipts_sent(sent_path)
    states, mismatches, jobs = Counter(), [], 0

    def one(wid):
        status, body = fl.http("GET", f"{base}/v1/warnings/{wid}")
        return wid, status, body

    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        for wid, status, body in pool.map(one, warning_ids):
            if status != 200:
                mismatches.append(f"warning {wid}: HTTP {status}")
                continue
            for job in body["jobs"]:
                jobs += 1
                states[job["state"]] += 1
            mismatches.extend(fl.receipt_mismatches(body["jobs"], sent))
    return states, mismatches, jobs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--warnings", type=int, default=10000)
    ap.add_argument("--outage-s", type=float, default=300)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--batch", type=int, default=0, help="lines per POST /v1/warnings:batch (0: one POST each)")
    ap.add_argument("--settle-s", type=float, default=30, help="after the last POST, before the waiting CPU is measured")
    ap.add_argument("--timeout-s", type=float, default=600, help="for the jobs to end after the outage")
    ap.add_argument("--max-cpu-percent", type=float, default=5.0)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="outage-")
    ports = fl.single_node_ports()
    config = os.path.join(work, "gateway.yaml")
    fl.write_single_node_config(config, work, ports, reconnect=fl.DEFAULT_RECONNECT)
    base = f"http://127.0.0.1:{ports['admin']}"
    sim = fl.start_sim(ports["smsc"], work, "before", fail_every=17, receipt_delay_ms=50)
    gateway = None
    ok = False
    try:
        gateway = fl.start_gateway(config, os.path.join(work, "gateway.log"))
        fl.wait_smpp_up(ports["admin"], gateway)
        fl.stop(sim, 10)
        fl.wait_for("bind down", lambda: fl.smpp_status(ports["admin"]) not in ("UP", None), 120)
        pid = gateway.pid  # bin/gateway execs java
        t0, cpu0 = time.time(), fl.cpu_seconds(pid)

        latencies, ids = [], []
        with concurrent.futures.ThreadPoolExecutor(a.clients) as pool:
            if a.batch > 0:
                starts = range(0, a.warnings, a.batch)
                results = pool.map(lambda s: post_batch(base, s, min(a.batch, a.warnings - s)), starts)
            else:
                results = pool.map(lambda i: post_one(base, i), range(a.warnings))
            for took, got in results:
                latencies.append(took * 1000)
                ids.extend(got)
        t_posted, cpu_posted = time.time(), fl.cpu_seconds(pid)
        end = max(t0 + a.outage_s, t_posted + a.settle_s + MIN_WAIT_S)
        if end > t0 + a.outage_s:
            print(f"note: posting took {t_posted - t0:.0f} s; the outage is stretched to {end - t0:.0f} s")
        time.sleep(a.settle_s)
        t_settled, cpu_settled, threads_settled = time.time(), fl.cpu_seconds(pid), fl.thread_cpu(pid)
        time.sleep(max(0.0, end - time.time()))
        t_end, cpu_end, threads_end = time.time(), fl.cpu_seconds(pid), fl.thread_cpu(pid)
        posting_cpu = 100 * (cpu_posted - cpu0) / max(1e-9, t_posted - t0)
        waiting_s = t_end - t_settled
        waiting_cpu = 100 * (cpu_end - cpu_settled) / waiting_s
        what = f"batches of {a.batch}" if a.batch > 0 else "one POST each"
        print(f"outage {t_end - t0:.0f} s: posted {len(ids)} warnings in {t_posted - t0:.1f} s "
              f"({len(ids) / max(1e-9, t_posted - t0):.0f}/s, {a.clients} clients, {what}), "
              f"POST p50 {fl.percentile(latencies, 50):.1f} ms p99 {fl.percentile(latencies, 99):.1f} ms "
              f"max {max(latencies):.1f} ms; gateway CPU {posting_cpu:.1f}% of a core while posting, "
              f"{waiting_cpu:.2f}% while waiting ({waiting_s:.0f} s); load average {os.getloadavg()[0]:.1f}")
        print(f"waiting CPU by thread group: {fl.thread_cpu_report(threads_settled, threads_end, waiting_s)}")

        sim = fl.start_sim(ports["smsc"], work, "after", fail_every=17, receipt_delay_ms=50)
        t_back = time.time()
        fl.wait_for("bind up again", lambda: fl.smpp_status(ports["admin"]) == "UP", 180)
        bound_s = time.time() - t_back
        expected_jobs = len(ids)  # tier 1 without family contacts: one job per warning
        fl.wait_for("every job final", lambda: fl.metric(ports["admin"], "smpp_jobs_final_total") >= expected_jobs,
                    a.timeout_s, step=2)
        print(f"after the outage: bound again in {bound_s:.0f} s, {expected_jobs} jobs final in {time.time() - t_back:.0f} s")
        states, mismatches, jobs = check_receipts(base, ids, os.path.join(work, "receipts.jsonl"), a.clients)
        finals = fl.metric(ports["admin"], "smpp_jobs_final_total")
        parts, duplicates = fl.duplicate_parts(fl.submits_seen(work))
        print(f"jobs {jobs}: {dict(states)}; smpp_jobs_final_total {finals:.0f}; {len(mismatches)} mismatched; "
              f"SMSC: {len(parts)} distinct parts, {duplicates} duplicate parts")
        for m in mismatches[:10]:
            print("  ", m)
        ok = (not mismatches and jobs == expected_jobs and finals == jobs and not (waiting_cpu > a.max_cpu_percent)
              and states.get("EXPIRED", 0) == 0)
        print("outage: PASS" if ok else f"outage: FAIL (work directory kept: {work})")
        return 0 if ok else 1
    finally:
        fl.stop(gateway)
        fl.stop(sim, 10)
        if ok and not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
