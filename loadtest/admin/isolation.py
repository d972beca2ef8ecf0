"""Measures GET /health while 8 slow clients trickle one byte every 3 s and 8 clients list 1,000
fraud numbers in a loop (loadtest/admin/run.sh isolation). Prints the latency percentiles of
/health, and how many listing pages and 503s the listers got. Usage: isolation.py PORT TOKEN SECONDS"""
import http.client
import socket
import statistics
import sys
import threading
import time

port, token, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
stop = threading.Event()
pages, busy, errors = [0], [0], [0]
lock = threading.Lock()


def slow_client(i):
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


def lister():
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
                    pages[0] += 1
                    import json
                    nxt = json.loads(body).get("nextCursor")
                    cursor = nxt or ""
                elif r.status == 503:
                    busy[0] += 1
        except (OSError, http.client.HTTPException):
            with lock:
                errors[0] += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)


def measure(duration):
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
    return ("%d requests, statuses %s, median %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms"
            % (len(latencies), statuses, statistics.median(latencies), q[94], q[98], latencies[-1]))


# The same machine without these clients first: what the load of everything else costs /health.
print("health, no admin clients (baseline): " + measure(min(30.0, seconds / 2)))
threads = [threading.Thread(target=slow_client, args=(i,), daemon=True) for i in range(8)]
threads += [threading.Thread(target=lister, daemon=True) for _ in range(8)]
for t in threads:
    t.start()
time.sleep(3)
print("health, 8 slow clients + 8 listers: " + measure(seconds))
stop.set()
print("listers: %d pages of 1,000, %d answered 503 busy, %d connection errors" % (pages[0], busy[0], errors[0]))
