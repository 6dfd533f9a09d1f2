#!/usr/bin/env python3
"""bench/load's probe (PROBE=1): one GET /status at a time on one kept-alive connection, for SECONDS seconds; prints a
line per request: seconds since the start, the latency in milliseconds and the wall-clock time (to find the moment in
the service's log and a GC log), so that a tail can be placed in time."""
import http.client
import sys
import time

port, key, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
connection = http.client.HTTPConnection("127.0.0.1", port)
start = time.monotonic()
while (now := time.monotonic()) - start < seconds:
    connection.request("GET", "/status/load-1", headers={"X-API-Key": key})
    connection.getresponse().read()
    print(f"{now - start:.3f}\t{(time.monotonic() - now) * 1000:.2f}\t{time.time():.3f}")
    time.sleep(0.005)
