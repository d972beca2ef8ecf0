#!/usr/bin/env python3
"""Live intake benchmark: warnings through the admin API of a real gateway to the node-smpp SMSC (issue 11).

    loadtest/smpp/intake.py [--mode batch|single|rate] [--warnings 6000] [--runs 3] [--db h2|postgres] [--warmup N]
                            [--warmup-mode same|single|batch]
                            [--batch 500] [--clients 4] [--rate 500] [--seconds 20] [--binds 4]
                            [--senders 32] [--jar gateway/target/gateway.jar] [--label NAME] [--keep-alive]
                            [--operation-threads N]

Each run, on loopback with ports chosen free at run time and a fresh data directory (or a fresh PostgreSQL
database on scripts/postgres-test-server.sh's server with --db postgres):
  1. starts the node-smpp SMSC simulator (loadtest/smsc-sim; receipts after 200 ms) and the gateway jar
     (java -jar, the H2 file default or PostgreSQL write-through; --binds unthrottled transceivers, window 10);
  2. with --warmup N, posts N warnings first and waits until they are sent (not measured: the JIT compiler's
     first minute is not the steady cost of a warning); then posts tier-1 police warnings, one distinct
     subscriber each:
     batch:  POST /v1/warnings:batch, NDJSON bodies of --batch lines, --clients concurrent clients;
     single: POST /v1/warnings, --clients concurrent clients;
     rate:   POST /v1/warnings at --rate per second for --seconds, paced, from --senders threads: each waits for
             its answer, so the rate offered is at most senders / latency (the achieved rate is printed);
  3. reports warnings/s accepted (first POST to last answer), submit_sm/s (first POST to the last submit_sm
     the SMSC logged, once its log stopped growing for 5 s), and POST latency p50/p99; after the gateway
     stopped, the writes per database transaction it logged; and the gateway JVM's CPU time from the first
     POST to the end (batch and single: every SMS sent) per warning, which the neighbours' load on a shared
     machine changes far less than the rates, with the share of it its JIT compiler threads took (above a few
     percent, the warm-up was too short: on 2 cores C2 needs about 25,000 warnings, 60-90 s); and the cluster
     operations per warning (the gateway's `hazelcast_operations_executed_total` over the measured part: each a
     hand-off between threads, counted the same however busy the machine is, unlike the rates).
--operation-threads N sets cluster.operation-threads (Hazelcast's partition threads) for the run; by default the
gateway's own (16). With --keep-alive each client thread keeps one HTTP/1.1 connection open and reuses it, as a carrier's
intake system would; by default each POST opens its own connection (the figures before 2026-12-02 14:00).
Prints the machine's load average before each run; the median of the runs at the end. Exit 1 when a
warning was refused or a run did not finish. Bounded: every wait has a deadline.
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SIM = os.path.join(REPO, "loadtest", "smsc-sim", "smsc.js")
TOKEN = "intake-bench-" + os.urandom(8).hex()
QUIET_S = 5
DEADLINE_S = 900

CONFIG = """\
node: {{ id: bench-1, data-dir: {data} }}
cluster: {{ name: intake-{admin}, bind: "127.0.0.1:{cluster}", members: []{cluster_extra} }}
{database}
sip:
  listeners: [ {{ transport: udp, address: 127.0.0.1, port: {sip} }} ]
  default-route: "127.0.0.1:{sip_sink}:udp"
  card-base-url: "http://127.0.0.1:{admin}/cards/"
smpp:
  smscs:
    - name: sim
      host: 127.0.0.1
      port: {smsc}
      binds: [ {{ system-id: antifraud, password-env: BENCH_SMSC_PASSWORD, type: transceiver, count: {binds} }} ]
  window: 10
  tps: 0
  response-timeout: 10s
  job-lease: 60s
  templates: {repo}/config/templates
admin:
  bind: "127.0.0.1:{admin}"
  max-body-bytes: 4194304
  queue: 4096
"""


# Ports below the kernel's ephemeral range, free for TCP and UDP (faultlib.free_port): one from the range, picked
# here and bound seconds later by the gateway, was once taken meanwhile by a client connection's local port, and
# the gateway of a run exited at startup (the SIP listener's port is UDP, which the old TCP-only check missed too).
sys.path.insert(0, os.path.join(REPO, "loadtest", "faults"))
from faultlib import free_port  # noqa: E402


KEEP_ALIVE = False
_connections = threading.local()


def post(url, body, content_type):
    if KEEP_ALIVE:
        return post_keep_alive(url, body, content_type)
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Authorization": "Bearer " + TOKEN, "Content-Type": content_type})
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            return r.status, r.read(), time.perf_counter() - t
    except urllib.error.HTTPError as e:
        return e.code, e.read(), time.perf_counter() - t


def post_keep_alive(url, body, content_type):
    """POST on this thread's open connection (one per client thread); a connection the server closed is
    opened again once."""
    parsed = urllib.parse.urlsplit(url)
    headers = {"Authorization": "Bearer " + TOKEN, "Content-Type": content_type}
    t = time.perf_counter()
    for attempt in (1, 2):
        conn = getattr(_connections, "conn", None)
        if conn is None:
            conn = _connections.conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=300)
        try:
            conn.request("POST", parsed.path, body=body, headers=headers)
            r = conn.getresponse()
            answer = r.read()
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
                _connections.conn = None
            return r.status, answer, time.perf_counter() - t
        except (http.client.HTTPException, ConnectionError):
            conn.close()
            _connections.conn = None
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def warning(i, run):
    return {"subscriber": "139%08d" % (run * 1_000_000 + i), "fraudType": "fake_investment", "tier": 1}


def wait_up(admin, proc, log, seconds=300):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            with open(log, errors="replace") as f:
                tail = "".join(f.readlines()[-15:])
            sys.exit(f"the gateway exited during startup (status {proc.returncode}); the end of its log:\n{tail}")
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
    sys.exit("the gateway's SMPP binds did not come up")


def lines(path):
    if not os.path.exists(path):
        return 0
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def wait_quiet(path, at_least, t0):
    """Waits until the SMSC log has at least at_least lines and stopped growing; returns (lines, time of last growth)."""
    last_n, last_t = -1, time.perf_counter()
    deadline = time.time() + DEADLINE_S
    while time.time() < deadline:
        n = lines(path)
        now = time.perf_counter()
        if n != last_n:
            last_n, last_t = n, now
        elif n >= at_least and now - last_t >= QUIET_S:
            return n, last_t - t0
        time.sleep(0.5)
    sys.exit(f"the SMSC saw {last_n} submit_sm, expected at least {at_least}, before the deadline")


def gateway_cpu_seconds(pid):
    """(all, JIT) user + system CPU of the gateway's JVM so far (Linux /proc): the whole process, and its JIT
    compiler threads ("C1/C2 CompilerThread"); None when it cannot be read."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / tick
        jit = 0
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/stat") as f:
                    stat = f.read()
            except OSError:
                continue  # a thread that ended meanwhile
            if "CompilerThre" in stat.split(")", 1)[0]:
                t = stat.rsplit(")", 1)[1].split()
                jit += (int(t[11]) + int(t[12])) / tick
        return total, jit
    except (OSError, IndexError, ValueError):
        return None


def print_cpu(a, run, cpu0, pid, warnings, result):
    """The gateway's CPU from the first POST until now (every SMS sent): per warning, a figure the neighbours'
    load on a shared machine changes far less than the rates; and how much of it the JIT compiler took (a
    compiler still busy means the warm-up was too short to measure the steady cost: pass a larger --warmup)."""
    cpu1 = gateway_cpu_seconds(pid)
    if cpu0 is not None and cpu1 is not None:
        total, jit = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]
        result["cpu_ms"] = 1000 * total / warnings
        result["jit_pct"] = 100 * jit / total if total > 0 else 0
        result["cpu_ms_no_jit"] = 1000 * (total - jit) / warnings
        print(f"  {a.label} run {run} gateway CPU {total:.1f} s from the first POST = "
              f"{result['cpu_ms']:.2f} ms per warning, of which JIT compiler threads {result['jit_pct']:.0f}% "
              f"({result['cpu_ms_no_jit']:.2f} ms without them)", flush=True)


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def post_batches(base, a, run, count=None, first=0):
    """Warnings first .. first + count (default --warnings) as NDJSON batches of --batch lines."""
    count = a.warnings if count is None else count
    chunks = [list(range(i, min(first + count, i + a.batch))) for i in range(first, first + count, a.batch)]
    latencies = []

    def send(chunk):
        body = b"".join(json.dumps(warning(i, run)).encode() + b"\n" for i in chunk)
        status, answer, took = post(base + "/v1/warnings:batch", body, "application/x-ndjson")
        refused = [l for l in answer.splitlines() if b'"rejected"' in l] if status == 200 else [answer]
        return status, refused, took

    with concurrent.futures.ThreadPoolExecutor(a.clients) as pool:
        for status, refused, took in pool.map(send, chunks):
            if status != 200 or refused:
                sys.exit(f"POST /v1/warnings:batch answered {status}: {refused[:1]}")
            latencies.append(took)
    return latencies


def post_singles(base, a, run):
    def send(i):
        status, answer, took = post(base + "/v1/warnings", json.dumps(warning(i, run)).encode(), "application/json")
        if status != 202:
            sys.exit(f"POST /v1/warnings answered {status}: {answer[:200]}")
        return took

    with concurrent.futures.ThreadPoolExecutor(a.clients) as pool:
        return list(pool.map(send, range(a.warnings)))


def post_at_rate(base, a, run):
    """Open loop: warning i is due at t0 + i / rate; a sender that is late sends at once (latency still counted)."""
    total = a.rate * a.seconds
    t0 = time.perf_counter()
    latencies = []
    lock = threading.Lock()

    def send(i):
        delay = t0 + i / a.rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        status, answer, took = post(base + "/v1/warnings", json.dumps(warning(i, run)).encode(), "application/json")
        if status != 202:
            sys.exit(f"POST /v1/warnings answered {status}: {answer[:200]}")
        with lock:
            latencies.append(took)

    with concurrent.futures.ThreadPoolExecutor(a.senders) as pool:
        list(pool.map(send, range(total)))
    achieved = total / (time.perf_counter() - t0)
    return latencies, achieved


def warm_up(base, a, run, submits):
    """--warmup: that many warnings (other subscribers) posted and sent before the measured ones, so the JIT
    compiler's first minute (13,000 compilations, a quarter of the gateway's CPU in a 60 s run) is not counted
    as the cost of a warning. On 2 shared cores C2 is still compiling H2's storage code after 10,000 warnings
    (a third of a core); by 25,000 it is done (each run prints the compiler threads' share). The warm-up posts
    as the measured part does (--warmup-mode same, the default): warmed up with single POSTs, a batch run's
    own code paths were compiled during the measured burst, the C2 compiler taking a third of the CPU
    profiled then (2026-12-03). Returns the submit_sm the SMSC had logged by the end of it."""
    if a.warmup <= 0:
        return 0
    if a.warmup_mode == "batch" or (a.warmup_mode == "same" and a.mode == "batch"):
        t0 = time.perf_counter()
        post_batches(base, a, run, a.warmup, 900_000)
        n, _ = wait_quiet(submits, a.warmup, t0)
        print(f"  {a.label} run {run} warm-up (batches): {a.warmup} warnings, {n} submit_sm, "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
        return n

    def send(i):
        body = json.dumps(warning(900_000 + i, run)).encode()
        status, answer, _ = post(base + "/v1/warnings", body, "application/json")
        if status != 202:
            sys.exit(f"warm-up POST /v1/warnings answered {status}: {answer[:200]}")

    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(a.clients) as pool:
        list(pool.map(send, range(a.warmup)))
    n, _ = wait_quiet(submits, a.warmup, t0)
    print(f"  {a.label} run {run} warm-up: {a.warmup} warnings, {n} submit_sm, {time.perf_counter() - t0:.0f} s", flush=True)
    return n


def database_section(a, work, run):
    if a.db == "h2":
        return ""
    script = os.path.join(REPO, "scripts", "postgres-test-server.sh")
    url = subprocess.run([script, "url"], capture_output=True, text=True).stdout.strip()
    if not url:
        subprocess.run([script, "start"], check=True, stdout=subprocess.DEVNULL)
        url = subprocess.run([script, "url"], capture_output=True, text=True, check=True).stdout.strip()
    port = url.split("127.0.0.1:")[1].split("/")[0]
    name = f"intake_{os.getpid()}_{run}"
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-tAq", "-c", f"CREATE DATABASE {name}",
                    "postgres"], check=True)
    return f'database: {{ url: "jdbc:postgresql://127.0.0.1:{port}/{name}", user: postgres, pool-size: 16 }}'


COUNTERS = ("smpp_receipts_total", "smpp_jobs_retries_total", "smpp_jobs_attempt_total", "smpp_jobs_dispatch_rejected_total")


def cluster_operations(admin):
    """Hazelcast operations the gateway's member has run (GET /metrics), or None: each a hand-off between threads,
    counted the same however busy the machine is."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{admin}/metrics", timeout=30) as r:
            for line in r.read().decode().splitlines():
                if line.startswith("hazelcast_operations_executed_total"):
                    return float(line.rsplit(" ", 1)[1])
    except (OSError, ValueError):
        pass
    return None


def print_counters(a, run, admin):
    """The gateway's counters that say what the SMS side did per warning (receipts matched or parked first,
    retries, attempts), from GET /metrics; best effort: a gateway that did not come up has none."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{admin}/metrics", timeout=30) as r:
            text = r.read().decode()
    except OSError:
        return
    sums = {}
    for line in text.splitlines():
        if line.startswith(COUNTERS):
            name, value = line.rsplit(" ", 1)
            sums[name] = sums.get(name, 0) + float(value)
    latency = {}
    for line in text.splitlines():
        if line.startswith(("smpp_submit_latency_seconds_sum", "smpp_submit_latency_seconds_count")):
            name, value = line.rsplit(" ", 1)
            key = name.split("{")[0].rsplit("_", 1)[1]
            latency[key] = latency.get(key, 0) + float(value)
    if latency.get("count"):
        # The window (outstanding submit_sm per bind) over this is the most a bind can send per second.
        sums["submit_sm_to_resp_mean_ms"] = latency["sum"] / latency["count"] * 1000
    if sums:
        print(f"  {a.label} run {run} counters: " + ", ".join(f"{k.replace('smpp_', '').replace('_total', '')} {v:.{1 if v < 100 and v != int(v) else 0}f}"
                                                         for k, v in sorted(sums.items())), flush=True)


def one_run(a, run):
    work = tempfile.mkdtemp(prefix="intake-")
    ports = dict(admin=free_port(), cluster=free_port(), sip=free_port(), sip_sink=free_port(), smsc=free_port())
    config = os.path.join(work, "gateway.yaml")
    with open(config, "w") as f:
        f.write(CONFIG.format(data=os.path.join(work, "data"), repo=REPO, binds=a.binds,
                              database=database_section(a, work, run),
                              cluster_extra=f", operation-threads: {a.operation_threads}" if a.operation_threads else "",
                              **ports))
    submits = os.path.join(work, "smsc-submits.jsonl")
    sim = subprocess.Popen(["node", SIM, "--port", str(ports["smsc"]), "--log", submits, "--lifetime-s",
                            str(DEADLINE_S + 600)], stdout=open(os.path.join(work, "smsc.log"), "w"))
    env = dict(os.environ, GATEWAY_ADMIN_TOKEN=TOKEN, BENCH_SMSC_PASSWORD="secret")
    # GATEWAY_JAVA_OPTS as bin/gateway reads it: several options, split on spaces (a JFR recording, -Xmx).
    gateway = subprocess.Popen(["java", *shlex.split(os.environ.get("GATEWAY_JAVA_OPTS", "-Xmx1g")),
                                "-Dhazelcast.phone.home.enabled=false",
                                "-jar", a.jar, "--config", config], cwd=REPO, env=env,
                               stdout=open(os.path.join(work, "gateway.log"), "wb"), stderr=subprocess.STDOUT)
    try:
        wait_up(ports["admin"], gateway, os.path.join(work, "gateway.log"))
        base = f"http://127.0.0.1:{ports['admin']}"
        before = warm_up(base, a, run, submits)
        load = open("/proc/loadavg").read().split()[:3]
        ops0 = cluster_operations(ports["admin"])
        cpu0 = gateway_cpu_seconds(gateway.pid)
        t0 = time.perf_counter()
        if a.mode == "rate":
            latencies, achieved = post_at_rate(base, a, run)
            result = dict(rate=achieved, p50_ms=1000 * percentile(latencies, 50), p99_ms=1000 * percentile(latencies, 99))
            print(f"{a.label} run {run} (load {' '.join(load)}): {achieved:.0f} warnings/s sent and answered, "
                  f"POST p50 {result['p50_ms']:.1f} ms p99 {result['p99_ms']:.1f} ms", flush=True)
            print_cpu(a, run, cpu0, gateway.pid, a.rate * a.seconds, result)
            return result
        latencies = post_batches(base, a, run) if a.mode == "batch" else post_singles(base, a, run)
        accepted_s = time.perf_counter() - t0
        n, sent_s = wait_quiet(submits, before + a.warnings, t0)
        n -= before
        result = dict(warnings_per_s=a.warnings / accepted_s, submit_per_s=n / sent_s,
                      p50_ms=1000 * percentile(latencies, 50), p99_ms=1000 * percentile(latencies, 99))
        print(f"{a.label} run {run} (load {' '.join(load)}): {a.warnings} warnings accepted in {accepted_s:.1f} s = "
              f"{result['warnings_per_s']:.0f}/s; {n} submit_sm in {sent_s:.1f} s = {result['submit_per_s']:.0f}/s; "
              f"POST p50 {result['p50_ms']:.0f} ms p99 {result['p99_ms']:.0f} ms", flush=True)
        print_cpu(a, run, cpu0, gateway.pid, a.warnings, result)
        ops1 = cluster_operations(ports["admin"])
        if ops0 is not None and ops1 is not None:
            result["cluster_ops"] = (ops1 - ops0) / a.warnings
            print(f"  {a.label} run {run} cluster operations per warning: {result['cluster_ops']:.2f} "
                  f"(Hazelcast's executed operations over the measured part, the sweep's and heartbeats' included)", flush=True)
        return result
    finally:
        print_counters(a, run, ports["admin"])
        gateway.terminate()
        try:
            gateway.wait(60)
        except subprocess.TimeoutExpired:
            gateway.kill()
        sim.terminate()
        sim.wait(30)
        # The gateway logs at shutdown how many writes its database transactions served (the work stores'
        # journal, and the durable.* maps' group commit): the figure that says whether commits are shared.
        with open(os.path.join(work, "gateway.log"), errors="replace") as log:
            for line in log:
                if "work stores' journal:" in line or "group commit:" in line:
                    print(f"  {a.label} run {run} {line.split('JdbcRegistryStores: ', 1)[-1].strip()}", flush=True)
        if a.keep:
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=["batch", "single", "rate"], default="batch")
    ap.add_argument("--warnings", type=int, default=6000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--db", choices=["h2", "postgres"], default="h2")
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--rate", type=int, default=500)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--binds", type=int, default=4)
    ap.add_argument("--senders", type=int, default=32, help="rate mode: concurrent senders")
    ap.add_argument("--jar", default=os.path.join(REPO, "gateway", "target", "gateway.jar"))
    ap.add_argument("--warmup", type=int, default=0, help="warnings posted and sent before the measured ones (JIT)")
    ap.add_argument("--warmup-mode", choices=["same", "single", "batch"], default="same",
                    help="how the warm-up posts: as the measured part (same), or single POSTs as before 2026-12-03")
    ap.add_argument("--operation-threads", type=int, default=0,
                    help="cluster.operation-threads (Hazelcast partition threads); 0: the gateway's default")
    ap.add_argument("--label", default="intake")
    ap.add_argument("--keep", action="store_true", help="keep each run's work directory (logs)")
    ap.add_argument("--keep-alive", action="store_true", help="one open HTTP connection per client thread")
    a = ap.parse_args()
    global KEEP_ALIVE
    KEEP_ALIVE = a.keep_alive
    if not os.path.isdir(os.path.join(REPO, "loadtest", "smsc-sim", "node_modules", "smpp")):
        sys.exit("the SMSC simulator's package is missing: run scripts/install-test-deps.sh")
    if not os.path.isfile(a.jar):
        sys.exit(f"no gateway jar at {a.jar}: build it (bin/gateway does) or pass --jar")
    print(f"{a.label}: mode {a.mode}, db {a.db}, {a.warnings} warnings, batch {a.batch}, clients {a.clients}, "
          f"binds {a.binds}{', keep-alive' if a.keep_alive else ''}; cpu {os.cpu_count()} cores; jar {a.jar}", flush=True)
    results = [one_run(a, run) for run in range(1, a.runs + 1)]
    keys = results[0].keys()
    print(f"{a.label} median of {len(results)}: " + ", ".join(
        f"{k} {statistics.median(r[k] for r in results):.1f}" for k in keys), flush=True)


if __name__ == "__main__":
    main()
