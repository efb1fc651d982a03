"""Appeals at national scale (issue 15): the appeals register and the statistics pages at 64
connections on the demo's 20,000 appeals, quiet and while new appeals arrive at 20 a second
through the API (each registered, numbered, routed and placed in its group of similar appeals
before it is answered), and the full regrouping of every appeal.

Usage: python3 Benchmarks/http/appeals.py [--data D] [--database-url postgres://…]
       [--binary .build-release/release/aimaq] [--duration 10] [--rounds 3] [--rate 20]

Without --data a demo folder is made (`aimaq demo --load-only`, with its 20,000 appeals).
Each round measures, for --duration seconds each:
  pages quiet      wrk, 64 connections: the register (whole, one region, one page deep), the
                   statistics (country, one region, one topic), in the three languages (by cookie);
  pages+appeals    the same while one writer submits --rate appeals a second (POST /api/v1/appeals,
                   citizens' tokens of Kyzylorda region, texts that join and start groups);
  submit           the writer's own latencies: registration with its grouping, answered after commit.
Then `aimaq appeals regroup` regroups every appeal from scratch (timed, twice).
Prints a Markdown table of medians over the rounds and a one-line summary naming missed targets.
Python 3 standard library, Debian's `wrk` (and `psql` for PostgreSQL) only.
"""
import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mixed import aimaq, note, percentile, server_ms, wait_health  # noqa: E402
from votes import demo_data, page_script, wrk  # noqa: E402

TARGETS = "register and statistics p99 < 50 ms at 64 connections while appeals arrive at 20/s; a new appeal placed in its group < 50 ms; full regrouping in seconds"

TEXTS = [
    "В селе {n} третью неделю нет питьевой воды, водопровод не восстановлен, просим принять меры",
    "Дорога к школе в посёлке {n} вся в ямах, после дождя не проехать, просим отремонтировать",
    "{n} ауылында ауыз су жоқ, су құбыры бұзылған, жөндеуді сұраймыз",
    "В квартирах дома {n} холодно, отопление работает вполсилы, просим проверить котельную",
    "Benchmark appeal {n}: the street lights have been off for a month and children walk to school in the dark",
]


class Writer(threading.Thread):
    """Submits appeals at a steady rate through the API; keeps each one's latency."""

    def __init__(self, base, tokens, rate, seconds):
        super().__init__(daemon=True)
        self.base, self.tokens, self.rate, self.seconds = base, tokens, rate, seconds
        self.latencies, self.server, self.failures = [], [], 0

    def run(self):
        started = time.monotonic()
        n = 0
        while time.monotonic() - started < self.seconds:
            due = started + n / self.rate
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            token, territory = self.tokens[n % len(self.tokens)]
            text = random.choice(TEXTS).format(n=random.choice(["Жиделиарык", "Тартогай", "Бестам", str(n)]))
            body = json.dumps({"territory": territory, "topic": random.choice(["water", "roads", "heating"]), "text": text,
                               "publishable": n % 2 == 0}).encode()
            request = urllib.request.Request(self.base + "/api/v1/appeals", data=body, method="POST",
                                             headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
            sent = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
                    if response.status != 201:
                        self.failures += 1
                    own = server_ms(response.getheader("Server-Timing"))
                    if own is not None:
                        self.server.append(own)
                self.latencies.append((time.monotonic() - sent) * 1000)
            except Exception:
                self.failures += 1
            n += 1


def regroup(binary, location):
    started = time.monotonic()
    output = aimaq(binary, "appeals", "regroup", *location)
    return time.monotonic() - started, output.strip().splitlines()[-1] if output.strip() else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=".build-release/release/aimaq")
    parser.add_argument("--data")
    parser.add_argument("--database-url")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--port", type=int, default=8096)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    temporary, started = [], []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.environ.setdefault("AIMAQ_BCRYPT_COST", "4")
    try:
        data, location, database = demo_data(args, "aimaq-appeals-data-")
        appeals = int(database.rows("SELECT COUNT(*) FROM appeals")[0][0])
        note(f"{appeals:,} appeals in the data set")
        run = f"{int(time.time())}{os.getpid()}"
        tokens = []
        for n, territory in enumerate(["435200000", "435200000", "433200000", "431010000"]):
            email = f"appellant{n}-{run}@appeals.test"
            aimaq(args.binary, "user", "add", *location, "--email", email, "--role", "citizen", "--territory", territory,
                  "--password-stdin", stdin=f"appeals-{run}-{random.getrandbits(64):x}\n")
            tokens.append((aimaq(args.binary, "user", "token", *location, "--email", email, "--name", "appeals benchmark").strip(), territory))

        env = dict(os.environ, AIMAQ_RATE_LIMITS="off")
        log = tempfile.NamedTemporaryFile(prefix="aimaq-appeals-server-", suffix=".log", delete=False)
        temporary.append(log.name)
        base = f"http://127.0.0.1:{args.port}"
        command = [args.binary, "serve", *location, "--port", str(args.port)]
        note(f"starting {' '.join(command)} (log {log.name})")
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        started.append(server)
        wait_health(base, server)
        folder = tempfile.mkdtemp(prefix="aimaq-appeals-lua-")
        temporary.append(folder)
        pages_lua = os.path.join(folder, "pages.lua")
        Path(pages_lua).write_text(page_script(["/appeals", "/appeals?territory=430000000", "/appeals?page=20",
                                                "/appeals/statistics", "/appeals/statistics?territory=430000000",
                                                "/appeals/statistics?topic=water"]))
        note("warming up (3 s of pages, not counted)")
        wrk(base, pages_lua, args.connections, 3)
        results = {"quiet": [], "busy": [], "submit": []}
        for round_ in range(1, args.rounds + 1):
            quiet = wrk(base, pages_lua, args.connections, args.duration)
            results["quiet"].append(quiet)
            writer = Writer(base, tokens, args.rate, args.duration + 2)
            writer.start()
            time.sleep(1)
            busy = wrk(base, pages_lua, args.connections, args.duration)
            writer.join()
            results["busy"].append(busy)
            rate = len(writer.latencies) / (args.duration + 2)
            results["submit"].append((rate, percentile(writer.latencies, 50), percentile(writer.latencies, 99), writer.failures,
                                      percentile(writer.server, 50), percentile(writer.server, 99)))
            note(f"round {round_}: pages quiet {quiet[0]:,.0f} req/s p99 {quiet[2]:.1f} ms; with appeals {busy[0]:,.0f} req/s "
                 f"p99 {busy[2]:.1f} ms; appeals {rate:.1f}/s p50 {percentile(writer.latencies, 50):.1f} ms "
                 f"p99 {percentile(writer.latencies, 99):.1f} ms (server's own p50 {percentile(writer.server, 50):.1f} ms "
                 f"p99 {percentile(writer.server, 99):.1f} ms), {writer.failures} failed")
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        started.remove(server)
        regroups = [regroup(args.binary, location) for _ in range(2)]
        for seconds, line in regroups:
            note(f"regroup: {seconds:.2f} s ({line})")

        def median(values):
            return statistics.median(values)
        database_name = "PostgreSQL" if args.database_url else "SQLite"
        print(f"\n{appeals:,} appeals, one server on {database_name}, {args.rounds} rounds of {args.duration} s, {args.connections} connections\n")
        print("| measure | median | p50 ms | p99 ms |")
        print("| --- | ---: | ---: | ---: |")
        for name, label in (("quiet", "register and statistics pages, no writes"),
                            ("busy", f"register and statistics pages while appeals arrive ({args.rate:g}/s)")):
            rows = results[name]
            print(f"| {label} | {median([r[0] for r in rows]):,.0f} req/s | {median([r[1] for r in rows]):.1f} | {median([r[2] for r in rows]):.1f} |")
        submit = results["submit"]
        print(f"| new appeal registered, routed and placed in its group (API) | {median([s[0] for s in submit]):.1f}/s | "
              f"{median([s[1] for s in submit]):.1f} | {median([s[2] for s in submit]):.1f} |")
        print(f"| the same, the server's own time (`Server-Timing`) | | {median([s[4] for s in submit]):.1f} | "
              f"{median([s[5] for s in submit]):.1f} |")
        print(f"| full regrouping of every appeal (`aimaq appeals regroup`) | {median([r[0] for r in regroups]):.2f} s | | |")
        missed = []
        if median([r[2] for r in results["busy"]]) >= 50:
            missed.append("pages p99 while appeals arrive")
        if median([s[2] for s in submit]) >= 50:
            missed.append("placement p99")
        if any(s[3] for s in submit):
            missed.append("failed submissions")
        print(f"\nappeals: {'all targets met' if not missed else 'missed: ' + ', '.join(missed)} ({TARGETS})")
    finally:
        for process in started:
            process.send_signal(signal.SIGTERM)
        for path in temporary:
            shutil.rmtree(path, ignore_errors=True) if os.path.isdir(path) else os.path.exists(path) and os.unlink(path)


if __name__ == "__main__":
    main()
