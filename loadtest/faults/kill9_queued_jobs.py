#!/usr/bin/env python3
"""Fault run: the gateway is killed with kill -9 while warnings are queued, or in the middle of a batch intake.

    loadtest/faults/kill9_queued_jobs.py [--warnings 300] [--tps 25] [--kill-after-s 4] [--timeout-s 240]
                                         [--batch N [--clients 2]]

What it does, all on loopback with ports chosen free at run time and a temporary data directory:
  1. starts the node-smpp SMSC simulator (loadtest/smsc-sim, not jsmpp's code) and the gateway
     (bin/gateway with a generated config: one bind at --tps submit_sm per second, H2 file);
  2. posts --warnings police instructions (tier 1, one distinct subscriber each): one by one to
     POST /v1/warnings, or with --batch N as NDJSON batches of N lines to POST /v1/warnings:batch from
     --clients concurrent clients, without pause;
  3. kills the gateway's JVM with SIGKILL (--kill-after-s after the first POST; with --batch, once a quarter
     of the lines are answered and a batch is in flight): jobs are queued, some submitted, some in
     flight, and with --batch, batches in the middle of their intake (their clients get no answer);
  4. starts the gateway again on the same data directory. With --batch, the client's side of the contract
     (docs/faults.md): every line it has no result line for is posted again, and so are the lines never sent.
     A line answered "duplicate" names the warning an earlier try created; that warning must exist, whole
     (its job stored), or the line was lost: the dedup entry survived the kill and its warning did not;
  5. waits until every warning's jobs are final (GET /v1/warnings/{id});
  6. prints what the SMSC saw: every subscriber reached (nothing lost) and how many parts it received twice
     (duplicates after the ambiguous in-flight submits; expected, and counted);
  7. checks receipts: the simulator fails every 13th message (UNDELIV) and logs the receipt it sent for each
     message id; every job's final state must be what its parts' receipts say.
Exit 0 when every job is final as its receipts say, every subscriber got its message and no warning was
half-created; 1 otherwise. Needs node/npm (scripts/install-test-deps.sh installs the simulator's package).
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter

import faultlib as fl

FINAL = ("DELIVERED", "FAILED", "EXPIRED")


def subscriber(i):
    return "139%08d" % (10_000_000 + i)


def line(i):
    return {"subscriber": subscriber(i), "fraudType": "fake_investment", "tier": 1}


class BatchIntake:
    """Posts NDJSON batches until told to stop or out of lines; remembers, per line, the result it got."""

    def __init__(self, base, warnings, batch):
        self.base, self.batch = base, batch
        self.next = 0
        self.total = warnings
        self.lock = threading.Lock()
        self.results = {}        # line index -> result object (accepted, duplicate or rejected)
        self.cut = []            # batches sent whose answer never came (the kill)
        self.in_flight = 0
        self.stopped = False

    def take(self):
        with self.lock:
            if self.stopped or self.next >= self.total:
                return None
            first = self.next
            self.next = min(self.total, first + self.batch)
            self.in_flight += 1
            return range(first, self.next)

    def post(self, indexes):
        body = "".join(json.dumps(line(i)) + "\n" for i in indexes).encode()
        return fl.http("POST", self.base + "/v1/warnings:batch", body, "application/x-ndjson", timeout=120)

    def run(self):
        while True:
            indexes = self.take()
            if indexes is None:
                return
            try:
                status, body = self.post(indexes)
            except OSError:
                status, body = None, None   # the gateway died under this batch
            with self.lock:
                self.in_flight -= 1
                if status != 200:
                    self.cut.append((indexes, status))
                    continue
                for r in (json.loads(l) for l in body.splitlines() if l.strip()):
                    self.results[indexes[r["line"] - 1]] = r

    def stop(self):
        with self.lock:
            self.stopped = True
            return self.in_flight


def repost_without_result(base, intake, batch):
    """The client's side after a crash: every line without a result, again, in batches. Returns the results."""
    missing = [i for i in range(intake.total) if i not in intake.results]
    results = {}
    for k in range(0, len(missing), batch):
        chunk = missing[k:k + batch]
        body = "".join(json.dumps(line(i)) + "\n" for i in chunk).encode()
        status, answer = fl.http("POST", base + "/v1/warnings:batch", body, "application/x-ndjson", timeout=120)
        if status != 200:
            sys.exit(f"re-post answered {status}: {str(answer)[:300]}")
        for r in (json.loads(l) for l in answer.splitlines() if l.strip()):
            results[chunk[r["line"] - 1]] = r
    return missing, results


def warning_jobs(base, ids, timeout_s):
    """Waits until every warning's jobs are final; returns (states, not final, jobs, warnings missing or without a job)."""
    t0 = time.time()
    while True:
        states, stuck, jobs, broken = Counter(), {}, [], []
        for wid in ids:
            status, body = fl.http("GET", f"{base}/v1/warnings/{wid}")
            if status != 200:
                broken.append((wid, f"answers HTTP {status}: its dedup entry outlived it"))
                continue
            if not body["jobs"]:
                broken.append((wid, "has no job"))  # tier 1 without family contacts: exactly one job per warning
                continue
            for job in body["jobs"]:
                states[job["state"]] += 1
                jobs.append(job)
                if job["state"] not in FINAL:
                    stuck[job["id"]] = job
        if not stuck or time.time() - t0 > timeout_s:
            return states, stuck, jobs, broken
        time.sleep(2)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--warnings", type=int, default=300)
    ap.add_argument("--tps", type=int, default=25)
    ap.add_argument("--kill-after-s", type=float, default=4,
                    help="without --batch: kill this long after the first POST (with --batch: once a quarter of "
                         "the lines are answered and a batch is in flight)")
    ap.add_argument("--timeout-s", type=float, default=240)
    ap.add_argument("--batch", type=int, default=0, help="lines per POST /v1/warnings:batch (0: one POST /v1/warnings each)")
    ap.add_argument("--clients", type=int, default=2, help="concurrent batch clients (with --batch)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="kill9-")
    ports = fl.single_node_ports()
    config = os.path.join(work, "gateway.yaml")
    fl.write_single_node_config(config, work, ports, tps=a.tps)
    sim = fl.start_sim(ports["smsc"], work, "all", fail_every=13, lifetime_s=a.timeout_s + 900)
    base = f"http://127.0.0.1:{ports['admin']}"
    gateway = None
    try:
        gw_log = os.path.join(work, "gateway.log")
        gateway = fl.start_gateway(config, gw_log)
        fl.wait_smpp_up(ports["admin"], gateway)
        t0 = time.time()
        half_created = []
        if a.batch > 0:
            intake = BatchIntake(base, a.warnings, a.batch)
            clients = [threading.Thread(target=intake.run, daemon=True) for _ in range(a.clients)]
            for c in clients:
                c.start()
            # Killed on a condition, not after a time: once a quarter of the lines have their answers and
            # a batch is in flight (on a fast machine the whole intake fits in less than any fixed delay).
            # Under the intake's lock, so no client books an answer between the check and the kill.
            wanted = max(1, a.warnings // 4)
            deadline = time.time() + a.timeout_s
            while True:
                with intake.lock:
                    if (len(intake.results) >= wanted and intake.in_flight > 0) or intake.next >= intake.total \
                            or time.time() > deadline:
                        intake.stopped = True
                        in_flight = intake.in_flight
                        fl.kill9(gateway)
                        break
                time.sleep(0.01)
            for c in clients:
                c.join(150)
            answered = len(intake.results)
            cut = sum(len(r) for r, _ in intake.cut)
            print(f"SIGKILL after {time.time() - t0:.1f} s with {in_flight} batches in flight: {answered} lines answered "
                  f"({Counter(r['result'] for r in intake.results.values())}), {cut} lines in batches cut by the kill, "
                  f"{a.warnings - intake.next} never sent")
            if in_flight == 0:
                print("note: no batch was in flight at the kill (the intake had finished); raise --warnings")
        else:
            ids = []
            for i in range(a.warnings):
                status, body = fl.http("POST", base + "/v1/warnings", line(i))
                if status != 202:
                    sys.exit(f"POST /v1/warnings answered {status}: {body}")
                ids.append(body["id"])
            posted_s = time.time() - t0
            time.sleep(max(0.0, a.kill_after_s - posted_s))
            fl.kill9(gateway)
            print(f"posted {len(ids)} warnings in {posted_s:.1f} s; SIGKILL after {max(a.kill_after_s, posted_s):.1f} s")
        seen_at_kill = len(fl.submits_seen(work))
        print(f"the SMSC had accepted {seen_at_kill} submit_sm at the kill")
        if a.batch == 0 and seen_at_kill >= 2 * a.warnings * 0.9:
            print("note: almost every part was sent before the kill (posting was slower than the SMSC's --tps);"
                  " lower --tps so that jobs are still queued at the kill")

        t_restart = time.time()
        gateway = fl.start_gateway(config, gw_log)
        fl.wait_smpp_up(ports["admin"], gateway)
        if a.batch > 0:
            before = {i: r for i, r in intake.results.items()}
            missing, again = repost_without_result(base, intake, a.batch)
            print(f"re-posted the {len(missing)} lines without a result: {Counter(r['result'] for r in again.values())}")
            results = {**before, **again}
            bad = [r for r in results.values() if r["result"] not in ("accepted", "duplicate")]
            if bad:
                sys.exit(f"lines rejected: {bad[:5]}")
            # A line answered "duplicate" on its first try would be another run's warning: this run's subscribers are distinct.
            first_try_dups = [i for i, r in before.items() if r["result"] == "duplicate"]
            ids = sorted({r["id"] if r["result"] == "accepted" else r["duplicateOf"] for r in results.values()})
            acked = [i for i, r in before.items()]
        states, stuck, all_jobs, broken = warning_jobs(base, ids, a.timeout_s)
        half_created = broken
        print(f"after restart ({time.time() - t_restart:.0f} s): {len(ids)} warnings, job states {dict(states)}")
        for wid, why in broken[:10]:
            print(f"  half-created: warning {wid} {why}")
        for job in list(stuck.values())[:10]:
            print("  not final:", json.dumps(job, ensure_ascii=False))

        lines = fl.submits_seen(work)
        parts, duplicates = fl.duplicate_parts(lines)
        reached = {d for d, _ in parts}
        # The gateway sends international numbers without '+' (TON international, SMPP 3.4 §5.2.5).
        wanted = {"86" + subscriber(i) for i in range(a.warnings)}
        missing_subs = a.warnings - len(reached & wanted)
        print(f"SMSC: {len(lines)} submit_sm accepted, {len(parts)} distinct parts, {duplicates} duplicate parts, "
              f"{len(reached & wanted)}/{a.warnings} subscribers reached, {missing_subs} missing")
        if a.batch > 0:
            acked_lost = [i for i in acked if "86" + subscriber(i) not in reached]
            print(f"lines answered before the kill: {len(acked)}, of them not reached: {len(acked_lost)}; "
                  f"answered duplicate on the first try: {len(first_try_dups)}")
        else:
            acked_lost, first_try_dups = [], []
        mismatched = fl.receipt_mismatches(all_jobs, fl.receipts_sent(os.path.join(work, "receipts.jsonl")))
        print(f"receipts: {len(all_jobs)} jobs, {len(mismatched)} whose final state differs from the receipts sent")
        for m in mismatched[:10]:
            print("  ", m)
        ok = (not stuck and not half_created and len(all_jobs) == len(ids) and missing_subs == 0 and not mismatched
              and not acked_lost and not first_try_dups)
        print("kill9: PASS, nothing lost, nothing mismatched" if ok else f"kill9: FAIL (work directory kept: {work})")
        if not ok:
            a.keep = True
        return 0 if ok else 1
    finally:
        fl.stop(gateway)
        fl.stop(sim, 10)
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
