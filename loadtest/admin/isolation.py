"""Measures GET /health while 8 slow clients trickle one byte every 3 s and 8 clients list 1,000
fraud numbers in a loop (loadtest/admin/run.sh isolation). Prints the latency percentiles of
/health, and how many listing pages and 503s the listers got.

Usage: isolation.py PORT TOKEN SECONDS [RUNS]

The prober runs in this process and the 16 load clients in a child process. They used to share one
process, and then the prober's timings included waiting for CPython's global interpreter lock while a
lister decoded a 150 KB page (json.loads holds it for the whole parse): the client's queue, not the
server's. RUNS (default 1) repeats the loaded measurement and prints each run and the median of the runs.
"""
import http.client
import multiprocessing
import re
import socket
import statistics
import sys
import threading
import time

NEXT_CURSOR = re.compile(rb'"nextCursor"\s*:\s*(?:"([^"]*)"|null)')


def slow_client(port, token, i, stop):
    request = ("PUT /v1/fraud-numbers/1710000%04d HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
               "Content-Type: application/json\r\nContent-Length: 60\r\n\r\n" % (i, token)).encode()
    while not stop.is_set():
        s = socket.create_connection(("127.0.0.1", port))
        try:
            for b in request:
                if stop.is_set():
                    return
                s.sendall(bytes([b]))
                stop.wait(3)
        except OSError:
            pass  # cut by the server's request timeout: start over, as a stubborn client would
        finally:
            s.close()


def lister(port, token, stop, counts, lock):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    cursor = ""
    while not stop.is_set():
        try:
            conn.request("GET", "/v1/fraud-numbers?limit=1000" + ("&cursor=" + cursor if cursor else ""),
                         headers={"Authorization": "Bearer " + token})
            r = conn.getresponse()
            body = r.read()
            with lock:
                if r.status == 200:
                    counts[0] += 1
                    # Only the cursor is needed: a regex on the tail, not a parse of the whole page.
                    m = NEXT_CURSOR.search(body, max(0, len(body) - 200))
                    cursor = (m.group(1) or b"").decode() if m else ""
                elif r.status == 503:
                    counts[1] += 1
        except (OSError, http.client.HTTPException):
            with lock:
                counts[2] += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)


def load(port, token, stop, counts):
    """The child process: 8 slow clients and 8 listers, until stop is set."""
    lock = threading.Lock()
    threads = [threading.Thread(target=slow_client, args=(port, token, i, stop), daemon=True) for i in range(8)]
    threads += [threading.Thread(target=lister, args=(port, token, stop, counts, lock), daemon=True) for _ in range(8)]
    for t in threads:
        t.start()
    stop.wait()


def measure(port, duration):
    latencies, statuses = [], {}
    end = time.time() + duration
    while time.time() < end:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        t0 = time.perf_counter()
        conn.request("GET", "/health")
        r = conn.getresponse()
        r.read()
        latencies.append((time.perf_counter() - t0) * 1000)
        statuses[r.status] = statuses.get(r.status, 0) + 1
        conn.close()
        time.sleep(0.2)
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {"n": len(latencies), "statuses": statuses, "median": statistics.median(latencies),
            "p95": q[94], "p99": q[98], "max": latencies[-1]}


def describe(m):
    return ("%d requests, statuses %s, median %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; load average %s"
            % (m["n"], m["statuses"], m["median"], m["p95"], m["p99"], m["max"], loadavg()))


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    port, token, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    # The same machine without these clients first: what the load of everything else costs /health.
    print("health, no admin clients (baseline): " + describe(measure(port, min(30.0, seconds / 2))), flush=True)
    ctx = multiprocessing.get_context("fork")
    stop = ctx.Event()
    counts = ctx.Array("l", 3)
    child = ctx.Process(target=load, args=(port, token, stop, counts), daemon=True)
    child.start()
    try:
        time.sleep(3)
        results = []
        for i in range(runs):
            m = measure(port, seconds)
            results.append(m)
            print("health, 8 slow clients + 8 listers, run %d: %s" % (i + 1, describe(m)), flush=True)
        if runs > 1:
            print("median of %d runs: median %.1f ms, p95 %.1f ms, p99 %.1f ms" % (
                runs, statistics.median(r["median"] for r in results), statistics.median(r["p95"] for r in results),
                statistics.median(r["p99"] for r in results)))
    finally:
        stop.set()
        child.join(10)
    print("listers: %d pages of 1,000, %d answered 503 busy, %d connection errors" % tuple(counts[:]))


if __name__ == "__main__":
    main()
