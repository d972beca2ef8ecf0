"""What the fault runs in loadtest/faults/ share: free ports, the admin API client, the single-node gateway and
the node-smpp SMSC simulator (start, wait, stop), the check of job states against the receipts the simulator
sent, and the gateway JVM's CPU from /proc (total and per thread group).

Imported by the scripts beside it; not a script itself. Standard library only.
"""
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SIM_DIR = os.path.join(REPO, "loadtest", "smsc-sim")
TOKEN = "fault-run-" + os.urandom(8).hex()
CLK_TCK = os.sysconf("SC_CLK_TCK")

# One gateway node on H2 (the default store) with one transceiver bind to the simulator. {reconnect} is the
# smpp.reconnect line: short in the kill -9 run (the restart's bind should not wait), the shipped default in
# the outage run (what is measured is what a carrier runs).
SINGLE_NODE_CONFIG = """\
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
{reconnect}
  retry: {{ max-age: 10m, initial: 500ms, max: 5s, after-timeout: true }}
  templates: {repo}/config/templates
admin:
  bind: "127.0.0.1:{admin}"
"""
FAST_RECONNECT = "  reconnect: { initial: 200ms, max: 2s }"
DEFAULT_RECONNECT = "  # smpp.reconnect: the shipped default"

# One member of a three-JVM cluster on PostgreSQL without binds (member_kill.py, split_brain.py).
# {cluster_extra} goes under cluster:, {sip_extra} under sip: (each a block of indented lines, or "").
CLUSTER_NODE_CONFIG = """\
node: {{ id: {node}, data-dir: {data} }}
cluster:
  name: {prefix}-{stamp}
  bind: "127.0.0.1:{cluster}"
  members: [{members}]
  backups: 1
{cluster_extra}database:
  url: "{jdbc}"
  user: postgres
sip:
  listeners: [ {{ transport: udp, address: 127.0.0.1, port: {sip} }} ]
{sip_extra}  default-route: "127.0.0.1:{sip_sink}:udp"
  card-base-url: "http://127.0.0.1:{admin}/cards/"
smpp:
  smscs: []
  templates: {repo}/config/templates
admin:
  bind: "127.0.0.1:{admin}"
"""


def _ephemeral_low():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port():
    """A loopback port free for TCP and UDP, for a server started later: chosen at random below the kernel's
    ephemeral range, never from it. A port of that range, released and bound seconds later by a starting JVM,
    can meanwhile have become the local port of some client's connection (bin/test runs two lanes at once;
    loadtest/sip/lib.sh has the same rule)."""
    high = max(10001, _ephemeral_low() - 1)
    for _ in range(200):
        port = random.randint(10000, high)
        with socket.socket() as t, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            try:
                t.bind(("127.0.0.1", port))
                u.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port below the ephemeral range")


def single_node_ports():
    return dict(admin=free_port(), cluster=free_port(), sip=free_port(), sip_sink=free_port(), smsc=free_port())


def write_single_node_config(path, work, ports, tps=0, reconnect=FAST_RECONNECT):
    with open(path, "w") as f:
        f.write(SINGLE_NODE_CONFIG.format(data=os.path.join(work, "data"), tps=tps, repo=REPO, reconnect=reconnect,
                                          **ports))


def http(method, url, body=None, content_type="application/json", timeout=60):
    """(status, JSON body, or text when not JSON) with the run's bearer token; a dict body is sent as JSON."""
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Authorization": "Bearer " + TOKEN, "Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        raw, status = e.read(), e.code
    try:
        return status, json.loads(raw or b"null")
    except ValueError:
        return status, raw.decode(errors="replace")


def start_gateway(config, log_path, java_opts=None):
    """bin/gateway (which execs java: the child's pid is the JVM's), logging to log_path (appended)."""
    env = dict(os.environ, GATEWAY_ADMIN_TOKEN=TOKEN, FAULT_SMSC_PASSWORD="secret")
    if java_opts:
        env["GATEWAY_JAVA_OPTS"] = java_opts
    return subprocess.Popen([os.path.join(REPO, "bin", "gateway"), "--config", config], cwd=REPO, env=env,
                            stdout=open(log_path, "ab"), stderr=subprocess.STDOUT)


def health(admin):
    """The /health body (also when it answers 503), or None when the gateway does not answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{admin}/health", timeout=5) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        return json.loads(e.read())
    except (OSError, ValueError):
        return None


def smpp_status(admin):
    return ((health(admin) or {}).get("components", {}).get("smpp", {})).get("status")


def wait_smpp_up(admin, proc, seconds=300):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("the gateway exited during startup; see its log")
        if smpp_status(admin) == "UP":
            return
        time.sleep(0.2)
    sys.exit("the gateway's SMPP bind did not come up")


def wait_for(what, condition, seconds, step=0.5):
    """Waits on a condition; the bound only guards against hanging."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        time.sleep(step)
    sys.exit(f"{what}: not reached within {seconds:.0f} s")


def start_sim(port, work, tag, fail_every, receipt_delay_ms=None, lifetime_s=3600):
    """The node-smpp SMSC simulator: logs each accepted submit_sm to submits-{tag}.jsonl and each receipt
    it sends to receipts.jsonl (shared by every start, so a restart on the same port keeps one record)."""
    if not os.path.isdir(os.path.join(SIM_DIR, "node_modules", "smpp")):
        sys.exit("the SMSC simulator's package is missing: run scripts/install-test-deps.sh")
    cmd = ["node", os.path.join(SIM_DIR, "smsc.js"), "--port", str(port),
           "--log", os.path.join(work, f"submits-{tag}.jsonl"), "--receipts-log", os.path.join(work, "receipts.jsonl"),
           "--fail-every", str(fail_every), "--lifetime-s", str(int(lifetime_s))]
    if receipt_delay_ms is not None:
        cmd += ["--receipt-delay-ms", str(receipt_delay_ms)]
    return subprocess.Popen(cmd, stdout=open(os.path.join(work, f"smsc-{tag}.log"), "w"))


def stop(proc, grace_s=30):
    """SIGTERM, then SIGKILL after grace_s; for the gateway (a clean shutdown) and the simulator alike."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def kill9(proc):
    if proc is not None and proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def metric(admin, name):
    """The sum over labels of one Prometheus metric from /metrics."""
    with urllib.request.urlopen(f"http://127.0.0.1:{admin}/metrics", timeout=10) as r:
        text = r.read().decode()
    return sum(float(m.group(1)) for m in
               re.finditer(r"^" + re.escape(name) + r"(?:\{[^}]*\})? ([0-9.eE+-]+)$", text, re.M))


def submits_seen(work):
    """Every submit_sm the simulator accepted, over all its starts (submits-*.jsonl)."""
    lines = []
    for name in sorted(os.listdir(work)):
        if name.startswith("submits-") and name.endswith(".jsonl"):
            lines.extend(json.loads(l) for l in open(os.path.join(work, name)))
    return lines


def duplicate_parts(lines):
    """(distinct (destination, part) pairs, how many were sent more than once, counted per extra copy)."""
    parts = Counter((l["destination"], (l["part"] or {}).get("seq", 1)) for l in lines)
    return parts, sum(n - 1 for n in parts.values())


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


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def cpu_seconds(pid):
    """utime + stime of the process, in seconds (proc(5): fields 14 and 15 of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def thread_cpu(pid):
    """CPU ticks per thread group (the thread's name without its number: 'C2 CompilerThre', 'smpp-jobs', 'hz.x')."""
    groups = Counter()
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
        except OSError:
            continue  # the thread ended between the listing and the read
        # Hazelcast names its threads hz.<instance>.<pool>.thread-N; keep the pool.
        name = re.sub(r"^hz\.[^.]+\.", "hz.", name)
        groups[re.sub(r"[-#.]?\d+$", "", name)] += int(fields[11]) + int(fields[12])
    return groups


def thread_cpu_report(before, after, seconds, top=8):
    """'name 1.2%, ...' of a core per thread group between two thread_cpu snapshots."""
    diff = Counter({k: after[k] - before.get(k, 0) for k in after})
    return ", ".join(f"{k} {100 * v / CLK_TCK / seconds:.2f}%" for k, v in diff.most_common(top) if v > 0)
