"""The cost of one API write on a quiet server (issue 10): reports and reviews sent one at a
time through the API on the national set, alternately, with the median and 90th percentile
of each kind.

Usage: python3 Benchmarks/http/sequential_writes.py URL DATA [COUNT]
  URL   a running `aimaq serve` (start it with AIMAQ_RATE_LIMITS=off)
  DATA  its data folder (tokens are made with `aimaq user token`)
Uses mixed.py's helpers; Python 3 standard library only.
"""
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mixed  # noqa: E402


def main():
    base, data = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    binary = os.environ.get("AIMAQ_BINARY", ".build-release/release/aimaq")
    location = ["--data", data]
    run = random.getrandbits(20)
    officer = mixed.make_token(binary, location, f"seq-officer-{run}@bench.kz", "akimat_officer", run)
    deputy = mixed.make_token(binary, location, f"seq-deputy-{run}@bench.kz", "maslikhat_deputy", run)
    open_ids, waiting, _ = mixed.write_pools(base, officer)
    connections, times = {}, {"report": [], "review": []}
    for index in range(count):
        started = time.monotonic()
        if index % 2 == 0 and open_ids:
            assignment, kind = open_ids.pop(), "report"
            status, _, _ = mixed.Writers.post(connections, base, "/api/v1/reports",
                                           {"assignment": assignment, "text": "Sequential benchmark report"}, officer)
            if status == 201:
                waiting.insert(0, assignment)
        elif waiting:
            assignment, kind = waiting.pop(), "review"
            status, _, _ = mixed.Writers.post(connections, base, "/api/v1/reviews",
                                           {"assignment": assignment, "decision": "return", "remarks": "More figures"}, deputy)
            if status == 200:
                open_ids.insert(0, assignment)
        else:
            break
        times[kind].append((time.monotonic() - started) * 1000)
        if status not in (200, 201):
            sys.exit(f"{kind} on {assignment} answered {status}")
    for kind, values in times.items():
        values.sort()
        if values:
            print(f"{kind}: {len(values)} writes, p50 {values[len(values) // 2]:.1f} ms, p90 {values[int(len(values) * 0.9)]:.1f} ms")


if __name__ == "__main__":
    main()
