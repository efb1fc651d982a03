"""Opinion-map votes at scale (issue 14): how many votes a server accepts through the API at 64
connections (each stored before it is answered), how long a vote takes to reach the map of a
20,000 × 1,000 conversation, and the conversation and draft pages at 64 connections while votes
arrive.

Usage: python3 Benchmarks/http/votes.py [--data D] [--database-url postgres://…]
       [--binary .build-release/release/aimaq] [--participants 20000] [--statements 1000]
       [--density 0.1] [--duration 10] [--rounds 3]

Without --data a demo folder is made (`aimaq demo --load-only`); the generated conversation is
added once with `aimaq bench conversation` (its number is kept in D/bench-conversation-N.txt).
Each round measures, for --duration seconds each:
  votes        wrk, 64 connections, POST /api/v1/conversations/ID/votes with citizens' tokens,
               a random statement and answer each time; afterwards the rows stored are counted;
  map          10 probes, one at a time, while votes keep arriving from 4 connections: a probe
               voter changes its answer on a statement nobody else votes on, and the API is read
               every 10 ms until the map's totals show it;
  pages quiet  wrk, 64 connections, the conversation page (whole and by region) and the draft
               page, in the three languages (by cookie), no votes;
  pages+votes  the same while 4 connections post votes.
Prints a Markdown table of medians over the rounds and a one-line summary naming missed targets.
Exits 1 when fewer votes are stored than were acknowledged. Python 3 standard library, Debian's
`wrk` (and `psql` for PostgreSQL) only.
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
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mixed import SEEDED_THREADS_LUA, Database, MemorySampler, aimaq, get_json, note, parse_wrk, rss_mib, wait_health  # noqa: E402

TARGETS = "votes >= 2,000/s on SQLite, vote to map < 1 s, pages p99 < 50 ms while votes arrive"


def vote_script(tokens, statements, path):
    return f"""
local tokens = {{{", ".join(json.dumps(t) for t in tokens)}}}
local statements = {{{", ".join(str(s) for s in statements)}}}
local answers = {{"agree", "disagree", "pass"}}
{SEEDED_THREADS_LUA}
request = function()
    local body = string.format('{{"statement":%d,"vote":"%s"}}', statements[math.random(#statements)], answers[math.random(3)])
    local headers = {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)]}}
    return wrk.format("POST", {json.dumps(path)}, headers, body)
end
"""


def page_script(paths):
    """Visitors who have chosen their language (the cookie the language links set)."""
    return f"""
local paths = {{{", ".join(json.dumps(p) for p in paths)}}}
local languages = {{"kk", "ru", "en"}}
request = function()
    return wrk.format("GET", paths[math.random(#paths)], {{["Cookie"] = "aimaq_lang=" .. languages[math.random(3)]}})
end
"""


def wrk(url, script, connections, duration, threads=2):
    process = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s",
                              "-s", script, url], capture_output=True, text=True)
    if process.returncode != 0:
        sys.exit(f"wrk failed:\n{process.stdout}{process.stderr}")
    total = int(__import__("re").search(r"(\d+) requests in", process.stdout).group(1))
    return parse_wrk(process.stdout) + (total,)


def post_vote(base, token, conversation, statement, answer):
    request = urllib.request.Request(f"{base}/api/v1/conversations/{conversation}/votes", method="POST",
                                     data=json.dumps({"statement": statement, "vote": answer}).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        return response.status


def statement_totals(base, conversation, statement):
    for item in get_json(base, f"/api/v1/conversations/{conversation}")["statements"]:
        if item["id"] == statement:
            return item["agrees"], item["disagrees"]
    return None


def probe_map(base, token, conversation, statement, probes):
    """Seconds from each probe vote's answer to the map showing it (agree and disagree in turn)."""
    latencies = []
    for n in range(probes):
        answer = "agree" if n % 2 == 0 else "disagree"
        before = statement_totals(base, conversation, statement)
        started = time.monotonic()
        post_vote(base, token, conversation, statement, answer)
        while True:
            now = statement_totals(base, conversation, statement)
            if now != before and now is not None and ((now[0] > before[0]) if answer == "agree" else (now[1] > before[1])):
                latencies.append(time.monotonic() - started)
                break
            if time.monotonic() - started > 30:
                sys.exit("a probe vote did not reach the map within 30 s")
            time.sleep(0.01)
        time.sleep(0.2)
    return latencies


def demo_data(args, prefix):
    """The data folder (--data, or a new one), its location arguments and its database: the
    demo set loaded when the folder has none, migrated when an older build made it."""
    data = args.data or tempfile.mkdtemp(prefix=prefix)
    location = ["--data", data] + (["--database-url", args.database_url] if args.database_url else [])
    if not os.path.exists(os.path.join(data, "audit.key")) or not args.data:
        note(f"making the demo set in {data} (aimaq demo --load-only)")
        aimaq(args.binary, "demo", "--load-only", *location)
    aimaq(args.binary, "migrate", *location)
    return data, location, Database(data, args.database_url)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=".build-release/release/aimaq")
    parser.add_argument("--data")
    parser.add_argument("--database-url")
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--density", type=float, default=0.1)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--voters", type=int, default=8, help="citizen accounts whose tokens cast the votes")
    parser.add_argument("--port", type=int, default=8095)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    temporary, started = [], []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.environ.setdefault("AIMAQ_BCRYPT_COST", "4")
    try:
        data, location, database = demo_data(args, "aimaq-votes-data-")
        marker = Path(data) / f"bench-conversation-{args.participants}x{args.statements}-{args.density}.txt"
        if marker.exists():
            conversation = int(marker.read_text())
        else:
            discussion = database.rows("SELECT id FROM discussions WHERE territory_id IS NULL ORDER BY id LIMIT 1")
            extra = ["--discussion", discussion[0][0]] if discussion else []
            note(f"generating {args.participants} × {args.statements} at density {args.density} (aimaq bench conversation)")
            conversation = int(aimaq(args.binary, "bench", "conversation", *location, "--participants", str(args.participants),
                                     "--statements", str(args.statements), "--density", str(args.density), *extra).strip())
            marker.write_text(str(conversation))
        discussion_id = database.rows(f"SELECT discussion_id FROM conversations WHERE id = {conversation}")[0][0]
        run = f"{int(time.time())}{os.getpid()}"
        tokens = []
        for n in range(args.voters + 1):
            email = f"voter{n}-{run}@votes.test"
            aimaq(args.binary, "user", "add", *location, "--email", email, "--role", "citizen", "--territory", "430000000",
                  "--password-stdin", stdin=f"votes-{run}-{random.getrandbits(64):x}\n")
            tokens.append(aimaq(args.binary, "user", "token", *location, "--email", email, "--name", "votes benchmark").strip())
        probe_token, tokens = tokens[0], tokens[1:]

        env = dict(os.environ, AIMAQ_RATE_LIMITS="off")
        log = tempfile.NamedTemporaryFile(prefix="aimaq-votes-server-", suffix=".log", delete=False)
        temporary.append(log.name)
        base = f"http://127.0.0.1:{args.port}"
        command = [args.binary, "serve", *location, "--port", str(args.port)]
        note(f"starting {' '.join(command)} (log {log.name})")
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        started.append(server)
        wait_health(base, server)
        note("waiting for the first map")
        started_map = time.monotonic()
        while get_json(base, f"/api/v1/conversations/{conversation}")["computedAt"] == 0:
            time.sleep(0.2)
        note(f"first map after {time.monotonic() - started_map:.1f} s; server {rss_mib(server.pid):.0f} MiB")
        statements = [s["id"] for s in get_json(base, f"/api/v1/conversations/{conversation}")["statements"]]
        probe_statement, load_statements = statements[0], statements[1:]

        folder = tempfile.mkdtemp(prefix="aimaq-votes-lua-")
        temporary.append(folder)
        votes_lua, pages_lua = os.path.join(folder, "votes.lua"), os.path.join(folder, "pages.lua")
        Path(votes_lua).write_text(vote_script(tokens, load_statements, f"/api/v1/conversations/{conversation}/votes"))
        pages = [f"/conversations/{conversation}", f"/conversations/{conversation}?region=430000000",
                 f"/conversations/{conversation}?region=750000000"]
        if discussion_id not in ("", "None", None):
            pages += [f"/discussions/{discussion_id}"]
        Path(pages_lua).write_text(page_script(pages))

        def count_votes():
            return int(database.rows(f"SELECT COUNT(*) FROM conversation_votes WHERE conversation_id = {conversation}")[0][0])

        sampler = MemorySampler([server.pid])
        sampler.start()
        note("warming up (3 s of votes and of pages, not counted)")
        wrk(base, votes_lua, args.connections, 3)
        wrk(base, pages_lua, args.connections, 3)
        results = {"votes": [], "map": [], "pages quiet": [], "pages+votes": []}
        acknowledged = stored = 0
        for round_ in range(1, args.rounds + 1):
            before = count_votes()
            rps, p50, p99, errors, sockets, total = wrk(base, votes_lua, args.connections, args.duration)
            time.sleep(0.5)
            rows = count_votes() - before
            acknowledged += total - errors
            stored += rows
            results["votes"].append((rps, p50, p99, errors + sockets))
            note(f"round {round_}: votes {rps:,.0f}/s p50 {p50:.1f} ms p99 {p99:.1f} ms, {errors} refused; "
                 f"{total - errors} acknowledged, {rows} stored")
            background = threading.Thread(target=wrk, args=(base, votes_lua, 4, args.duration + 15, 1), daemon=True)
            background.start()
            time.sleep(1)
            latencies = probe_map(base, probe_token, conversation, probe_statement, 10)
            results["map"].append(latencies)
            note(f"round {round_}: vote to map median {statistics.median(latencies):.3f} s, worst {max(latencies):.3f} s")
            background.join()
            quiet = wrk(base, pages_lua, args.connections, args.duration)
            results["pages quiet"].append(quiet[:4])
            voting = []
            background = threading.Thread(target=lambda: voting.append(wrk(base, votes_lua, 4, args.duration + 2, 1)), daemon=True)
            background.start()
            time.sleep(1)
            busy = wrk(base, pages_lua, args.connections, args.duration)
            background.join()
            results["pages+votes"].append(busy[:4] + (voting[0][0] if voting else float("nan"),))
            note(f"round {round_}: pages quiet {quiet[0]:,.0f} req/s p99 {quiet[2]:.1f} ms; "
                 f"with votes {busy[0]:,.0f} req/s p99 {busy[2]:.1f} ms")
        sampler.stopped.set()

        def median(values):
            return statistics.median(values)
        database_name = "PostgreSQL" if args.database_url else "SQLite"
        votes = results["votes"]
        all_latencies = [x for round_ in results["map"] for x in round_]
        print(f"\n{args.participants:,} participants × {args.statements:,} statements (density {args.density}), "
              f"one server on {database_name}, {args.rounds} rounds of {args.duration} s, {args.connections} connections\n")
        print("| measure | median | p50 ms | p99 ms |")
        print("| --- | ---: | ---: | ---: |")
        print(f"| votes accepted (API, each stored before its answer) | {median([v[0] for v in votes]):,.0f}/s | "
              f"{median([v[1] for v in votes]):.1f} | {median([v[2] for v in votes]):.1f} |")
        print(f"| vote to map (10 probes per round while votes arrive) | {median(all_latencies):.3f} s | | "
              f"worst {max(all_latencies):.3f} s |")
        for name in ("pages quiet", "pages+votes"):
            rows = results[name]
            arriving = f" ({median([r[4] for r in rows]):,.0f} votes/s from 4 connections)" if name == "pages+votes" else ""
            print(f"| conversation and draft pages, {'no votes' if name == 'pages quiet' else 'while votes arrive' + arriving} | "
                  f"{median([r[0] for r in rows]):,.0f} req/s | {median([r[1] for r in rows]):.1f} | {median([r[2] for r in rows]):.1f} |")
        peak = max(sampler.peak.values())
        print(f"\nserver peak memory {peak:.0f} MiB; votes acknowledged {acknowledged:,}, stored {stored:,}")
        missed = []
        if not args.database_url and median([v[0] for v in votes]) < 2_000:
            missed.append("votes/s")
        if max(all_latencies) >= 1:
            missed.append("vote to map")
        if median([r[2] for r in results["pages+votes"]]) >= 50:
            missed.append("pages p99")
        lost = max(0, acknowledged - stored)
        print(f"summary: {median([v[0] for v in votes]):,.0f} votes/s, vote to map {median(all_latencies):.3f} s, "
              f"pages p99 {median([r[2] for r in results['pages+votes']]):.1f} ms with votes; "
              f"{'targets met' if not missed else 'missed: ' + ', '.join(missed)} ({TARGETS}); {lost} lost")
        if lost:
            sys.exit(1)
    finally:
        for process in started:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for path in temporary:
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            elif os.path.exists(path):
                os.remove(path)


if __name__ == "__main__":
    main()
