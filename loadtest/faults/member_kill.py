#!/usr/bin/env python3
"""Fault run: a three-node gateway cluster (three JVMs, one PostgreSQL) loses a member to kill -9,
then the whole cluster is killed and restarted.

    loadtest/faults/member_kill.py [--fraud-numbers 5000] [--warning-numbers 50] [--timeout-s 300]

All on loopback with ports chosen free at run time; PostgreSQL is Debian's (scripts/postgres-test-server.sh,
started in a temporary directory and stopped at the end). Steps:
  1. start three gateways whose Hazelcast members join by TCP-IP (each lists the three addresses) and
     write through to the shared PostgreSQL database;
  2. import --fraud-numbers by CSV (streamed) and put --warning-numbers through node 1's admin API;
  3. kill -9 node 2; on nodes 1 and 3, every entry must still be listed (backups: 1) and a revocation
     made on node 1 must stop node 3 from serving that card;
  4. kill -9 nodes 1 and 3 (the whole cluster is gone), start all three again and check that every
     entry, the revocation included, came back from PostgreSQL; report how long that took.
Exit 0 when nothing was lost at either step; 1 otherwise.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import faultlib as fl

REPO = fl.REPO
TOKEN = fl.TOKEN
free_port = fl.free_port
call = fl.http


def listed(admin, kind):
    """Every key of a paged listing (GET /v1/{kind}?limit=1000&cursor=...)."""
    keys, cursor = set(), None
    while True:
        url = f"http://127.0.0.1:{admin}/v1/{kind}?limit=1000" + (f"&cursor={cursor}" if cursor else "")
        status, body = call("GET", url)
        if status != 200:
            raise RuntimeError(f"GET {url} answered {status}: {body}")
        for item in body["items"]:
            keys.add(item.get("number") or item.get("subscriber"))
        cursor = body.get("nextCursor")
        if not cursor:
            return keys


class Node:
    def __init__(self, work, name, ports, stamp, members, jdbc, prefix="member-kill", cluster_extra="", sip_extra=""):
        """cluster_extra and sip_extra: indented lines added under cluster: and sip: (split_brain.py's keys)."""
        self.name, self.ports = name, ports
        self.config = os.path.join(work, name + ".yaml")
        self.log = os.path.join(work, name + ".log")
        with open(self.config, "w") as f:
            f.write(fl.CLUSTER_NODE_CONFIG.format(node=name, data=os.path.join(work, name + "-data"), prefix=prefix,
                                                  stamp=stamp, members=members, jdbc=jdbc, repo=REPO,
                                                  cluster_extra=cluster_extra, sip_extra=sip_extra, **ports))
        self.proc = None

    def start(self):
        # FAULT_JAVA_OPTS adds JVM options for a diagnosis (a logback file with Hazelcast's cluster logs at DEBUG).
        env = dict(os.environ, GATEWAY_ADMIN_TOKEN=TOKEN,
                   GATEWAY_JAVA_OPTS=("-Xmx768m " + os.environ.get("FAULT_JAVA_OPTS", "")).strip())
        self.proc = subprocess.Popen([os.path.join(REPO, "bin", "gateway"), "--config", self.config], cwd=REPO,
                                     env=env, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)

    def kill9(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def health(self):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.ports['admin']}/health", timeout=5) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            return json.loads(e.read())
        except OSError:
            return None

    def wait_jvm(self, seconds):
        """Until the JVM has logged its start (bin/gateway has built the jar by then). Its /health answers
        later: a member whose cluster.quorum is above 1 (a majority of three by default) waits for a peer."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"{self.name} exited during startup; see {self.log}")
            with open(self.log, "rb") as f:
                if b"starting node " in f.read():
                    return
            time.sleep(0.5)
        sys.exit(f"{self.name}: the JVM did not start within {seconds} s")

    def wait_cluster(self, size, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"{self.name} exited during startup; see {self.log}")
            h = self.health()
            detail = (h or {}).get("components", {}).get("cluster", {}).get("detail", "")
            if detail.startswith(f"{size} member"):
                return
            time.sleep(0.5)
        sys.exit(f"{self.name}: the cluster did not reach {size} members within {seconds} s")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fraud-numbers", type=int, default=5000)
    ap.add_argument("--warning-numbers", type=int, default=50)
    ap.add_argument("--timeout-s", type=float, default=300)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="member-kill-")
    os.chmod(work, 0o755)
    pg_env = dict(os.environ, PG_TEST_DIR=os.path.join(work, "pg"), PG_TEST_TTL_SECONDS=str(int(a.timeout_s * 3)))
    pg = os.path.join(REPO, "scripts", "postgres-test-server.sh")
    jdbc = subprocess.run([pg, "start"], env=pg_env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    jdbc = jdbc.split("?")[0]
    nodes = []
    ok = False
    try:
        stamp = os.urandom(4).hex()
        ports = [dict(admin=free_port(), cluster=free_port(), sip=free_port(), sip_sink=free_port()) for _ in range(3)]
        members = ", ".join(f'"127.0.0.1:{p["cluster"]}"' for p in ports)
        nodes = [Node(work, f"node-{i + 1}", ports[i], stamp, members, jdbc) for i in range(3)]
        # node-1 first: bin/gateway builds the jar when sources are newer, and three builds at once collide.
        nodes[0].start()
        nodes[0].wait_jvm(a.timeout_s)
        for n in nodes[1:]:
            n.start()
        for n in nodes:
            n.wait_cluster(3, a.timeout_s)
        n1, n2, n3 = nodes
        admin1, admin3 = n1.ports["admin"], n3.ports["admin"]

        csv = "".join(f"170{i:08d},fake_investment,MK-{i},,false\n" for i in range(a.fraud_numbers)).encode()
        t = time.time()
        status, body = call("POST", f"http://127.0.0.1:{admin1}/v1/fraud-numbers:import", csv, "text/csv")
        if status != 200 or body.get("stored") != a.fraud_numbers:
            sys.exit(f"import answered {status}: {body}")
        print(f"imported {a.fraud_numbers} fraud numbers through node-1 in {time.time() - t:.1f} s")
        for i in range(a.warning_numbers):
            status, body = call("PUT", f"http://127.0.0.1:{admin1}/v1/warning-numbers/0109{i:07d}",
                                {"cardName": "反诈中心", "callReason": "反诈民警来电，请您接听", "agency": "市公安局"})
            if status not in (200, 201):
                sys.exit(f"PUT warning number answered {status}: {body}")
        fraud_want = listed(admin1, "fraud-numbers")
        warn_want = listed(admin1, "warning-numbers")
        print(f"before: {len(fraud_want)} fraud numbers, {len(warn_want)} warning numbers listed")

        n2.kill9()
        n1.wait_cluster(2, 60)
        n3.wait_cluster(2, 60)
        lost = {}
        for n in (n1, n3):
            lost[n.name] = (len(fraud_want - listed(n.ports["admin"], "fraud-numbers")),
                            len(warn_want - listed(n.ports["admin"], "warning-numbers")))
        revoked = "+86109" + "0000000"
        status, _ = call("DELETE", f"http://127.0.0.1:{admin1}/v1/warning-numbers/01090000000")
        t = time.time()
        card_status = None
        while time.time() - t < 10:
            with_card = urllib.request.Request(f"http://127.0.0.1:{admin3}/cards/01090000000")
            try:
                card_status = urllib.request.urlopen(with_card, timeout=5).status
            except urllib.error.HTTPError as e:
                card_status = e.code
            if card_status == 404:
                break
            time.sleep(0.05)
        print(f"after kill -9 of node-2: lost (fraud, warning) by survivor {lost}; revocation on node-1 "
              f"-> node-3 card {card_status} after {time.time() - t:.2f} s")
        step1 = all(v == (0, 0) for v in lost.values()) and status == 200 and card_status == 404

        n1.kill9()
        n3.kill9()
        t = time.time()
        for n in nodes:
            n.start()
        for n in nodes:
            n.wait_cluster(3, a.timeout_s)
        restart_s = time.time() - t
        fraud_after = listed(admin3, "fraud-numbers")
        warn_after = listed(admin3, "warning-numbers")
        status, rec = call("GET", f"http://127.0.0.1:{admin3}/v1/warning-numbers/01090000000")
        still_revoked = status == 200 and rec.get("revoked") is True
        print(f"after kill -9 of the whole cluster and a restart ({restart_s:.0f} s to 3 members): "
              f"{len(fraud_want - fraud_after)} fraud and {len(warn_want - warn_after)} warning numbers missing, "
              f"revocation of {revoked} kept: {still_revoked}")
        step2 = fraud_want <= fraud_after and warn_want <= warn_after and still_revoked
        ok = step1 and step2
        print("member-kill: PASS, nothing lost" if ok else f"member-kill: FAIL (work directory kept: {work})")
        return 0 if ok else 1
    finally:
        for n in nodes:
            n.kill9()
        subprocess.run([pg, "stop"], env=pg_env, capture_output=True)
        if ok and not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
