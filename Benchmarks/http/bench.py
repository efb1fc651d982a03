"""HTTP benchmark of an Aimaq server: wrk against pages, side by side with the plain-text
route (/ping) measured in the same run as the ceiling.

Usage: python3 Benchmarks/http/bench.py [--binary .build-release/release/aimaq]
       [--connections 64] [--duration 10] [--rounds 3] [--path NAME=URL ...]
Starts `aimaq demo` on a fresh data folder (release build), warms up, runs wrk for each
path `rounds` times, and prints a Markdown table of medians (requests/s, p50, p99) with the
ratio to the ceiling, then the memory of the serving process and a one-line summary.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

DEFAULT_PATHS = [
    ("plain-text ceiling", "/ping"),
    ("home page", "/"),
    ("region page (Kyzylorda)", "/territories/430000000"),
    ("district page (Shieli)", "/territories/435200000"),
    ("territory API", "/api/v1/territories/430000000"),
]


def parse_wrk(text):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    def percentile(p):
        match = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return rps, percentile(50), percentile(99), int(errors.group(1)) if errors else 0


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build-release/release/aimaq")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--path", action="append", default=[], help="NAME=URL to measure as well")
    parser.add_argument("--national", action="store_true", help="generate the national-scale instruction set (demo --national)")
    parser.add_argument("--data", help="serve this existing data folder instead of generating a demo")
    parser.add_argument("--only-extra", action="store_true", help="measure the ceiling and the --path routes only")
    args = parser.parse_args()
    extra = [tuple(p.split("=", 1)) for p in args.path]
    paths = (DEFAULT_PATHS[:1] if args.only_extra else DEFAULT_PATHS) + extra

    if args.data:
        data = args.data
        command = [args.binary, "serve", "--data", data, "--port", str(args.port)]
    else:
        data = tempfile.mkdtemp(prefix="aimaq-bench-")
        command = [args.binary, "demo", "--data", data, "--port", str(args.port)] + (["--national"] if args.national else [])
    log = open(os.path.join(tempfile.mkdtemp(prefix="aimaq-bench-log-"), "server.log"), "w")
    # One load generator on one address is the very visitor the rate limits stop: off here.
    server = subprocess.Popen(command, stdout=log, stderr=log, env={**os.environ, "AIMAQ_RATE_LIMITS": os.environ.get("AIMAQ_RATE_LIMITS", "off")})
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(base + "/health", timeout=1)
                break
            except Exception:
                time.sleep(0.5)
        print(f"server up (pid {server.pid}); memory after demo load: {rss_mib(server.pid):.0f} MiB", file=sys.stderr)
        for _, path in paths:  # warm up every route
            subprocess.run(["wrk", "-t2", "-c16", "-d2s", base + path], capture_output=True, check=True)
        results = {name: [] for name, _ in paths}
        for round_ in range(1, args.rounds + 1):
            for name, path in paths:
                out = subprocess.run(["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency", base + path],
                                     capture_output=True, text=True, check=True).stdout
                rps, p50, p99, errors = parse_wrk(out)
                if errors:
                    sys.exit(f"{path}: {errors} non-2xx answers")
                results[name].append((rps, p50, p99))
                print(f"round {round_}/{args.rounds} {name}: {rps:,.0f} req/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms", file=sys.stderr)
        memory = rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    ceiling = statistics.median(r[0] for r in results[paths[0][0]])
    print(f"| route | path | requests/s (median) | ratio to ceiling | p50 ms | p99 ms |")
    print(f"| --- | --- | ---: | ---: | ---: | ---: |")
    worst = 1.0
    worst_p99 = 0.0
    for name, path in paths:
        rps = statistics.median(r[0] for r in results[name])
        p50 = statistics.median(r[1] for r in results[name])
        p99 = statistics.median(r[2] for r in results[name])
        ratio = rps / ceiling
        if path != paths[0][1]:
            worst = min(worst, ratio)
            worst_p99 = max(worst_p99, p99)
        print(f"| {name} | `{path}` | {rps:,.0f} | {ratio:.0%} | {p50:.2f} | {p99:.2f} |")
    print()
    print(f"Memory of the serving process after the runs: {memory:.0f} MiB (VmRSS).")
    print(f"summary: {len(paths) - 1} pages, lowest throughput {worst:.0%} of the plain-text ceiling, highest p99 {worst_p99:.2f} ms")


if __name__ == "__main__":
    main()
