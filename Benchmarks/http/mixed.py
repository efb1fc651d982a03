"""Reads under writes (issue 10): 64 reading connections over a mix of pages while an akimat
officer submits reports and a maslikhat deputy reviews them through the API at a fixed rate;
afterwards every accepted write is looked up in the database.

Usage: python3 Benchmarks/http/mixed.py --data D [--database-url postgres://…] [--servers 1|2]
       [--binary .build-release/release/aimaq] [--duration 10] [--rounds 3] [--writes-per-second 20]
   or: python3 Benchmarks/http/mixed.py --url http://HOST:PORT --data D …   (attach to a running
       server or load balancer; --urls U1,U2 spreads the readers and the writes over several)

The data folder should hold the national set: `aimaq demo --national --load-only --data D`
(add --database-url for PostgreSQL). Without --data such a folder is generated first. With
--servers 2 the script starts two `aimaq serve` and nginx in front (round robin; the config is
the one of .ci/two-servers.sh). Each round measures, for --duration seconds each:
  quiet     wrk over the page mix, no writes;
  writes    the same while the writers run at --writes-per-second (half reports, half reviews);
  what-if   wrk on /budget/what-if only, a random share on every request (every one a cache miss).
Prints a Markdown table of medians over the rounds (writes: over all their latencies), the
resident memory of each server process, and a one-line summary that names missed targets.
Exits 1 when an accepted write is missing from the database. Python 3 standard library and
Debian's `wrk` (and `nginx` for --servers 2; `psql` for PostgreSQL) only.
"""
import argparse
import http.client
import itertools
import json
import math
import os
import queue
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REGIONS = ["100000000", "110000000", "150000000", "190000000", "230000000", "270000000", "310000000",
           "330000000", "350000000", "390000000", "430000000", "470000000", "550000000", "590000000",
           "610000000", "620000000", "630000000", "710000000", "750000000", "790000000"]
HOME_REGION = "430000000"  # Kyzylorda: the writers' accounts hold here
OPEN_STATUSES = ["assigned", "in_progress", "returned", "extended"]
TARGETS = "read throughput with writes >= 50% of quiet, read p99 < 50 ms, write p50 < 20 ms, " \
          "write p99 < 100 ms, no write lost, what-if >= 1,000 req/s with p99 < 100 ms, memory < 300 MiB"


def note(text):
    print(text, file=sys.stderr, flush=True)


# MARK: wrk

def parse_wrk(text):
    """(requests/s, p50 ms, p99 ms, non-2xx/3xx answers, socket errors) of one wrk run."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))

    def percentile(p):
        match = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return {"us": value / 1000, "ms": value, "s": value * 1000, "m": value * 60_000}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return (rps, percentile(50), percentile(99), int(errors.group(1)) if errors else 0,
            sum(int(n) for n in sockets.groups()) if sockets else 0)


# Each wrk thread seeds its own generator: seeded alike, two threads ask for the same
# what-if shares, and every second one finds a kept page.
SEEDED_THREADS_LUA = """
local counter = 0
function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
end
function init(args)
    math.randomseed(os.time() * 1000 + (id or 0) * 7919)
    for _ = 1, 10 do math.random() end
end
"""


def lua_script(groups, what_if_base):
    """wrk script: each request picks a group at random, then a path in it; the group
    "@what-if" is the what-if with a random share (four decimals) on every request."""
    def table(items):
        return "{" + ", ".join(json.dumps(item) for item in items) + "}"
    return f"""
local groups = {{{", ".join(table(paths) for paths in groups)}}}
local whatif = {json.dumps(what_if_base)}
{SEEDED_THREADS_LUA}
request = function()
    local paths = groups[math.random(#groups)]
    local path = paths[math.random(#paths)]
    if path == "@what-if" then
        path = whatif .. string.format("0.%04d", math.random(1, 9999))
    end
    return wrk.format("GET", path)
end
"""


def run_wrk(urls, script, connections, threads, duration):
    """One wrk per URL at once (connections split between them). Requests/s add up; p50 and
    p99 are the worst of the URLs."""
    per = max(threads, connections // len(urls))
    processes = [subprocess.Popen(["wrk", f"-t{min(threads, per)}", f"-c{per}", f"-d{duration}s", "--latency",
                                   "--timeout", "10s", "-s", script, url],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for url in urls]
    outputs = [p.communicate()[0] for p in processes]
    for process, output in zip(processes, outputs):
        if process.returncode != 0:
            sys.exit(f"wrk failed:\n{output}")
    parsed = [parse_wrk(output) for output in outputs]
    return (sum(r[0] for r in parsed), max(r[1] for r in parsed), max(r[2] for r in parsed),
            sum(r[3] for r in parsed), sum(r[4] for r in parsed))


# MARK: HTTP

def get_json(base, path, token=None):
    request = urllib.request.Request(base + path)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def status_of(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def wait_health(base, process=None, seconds=900):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if status_of(base, "/health") == 200:
            return
        if process is not None and process.poll() is not None:
            sys.exit(f"{process.args[0]} exited ({process.returncode}) before {base}/health answered")
        time.sleep(0.5)
    sys.exit(f"{base}/health did not answer within {seconds} s")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# MARK: memory

def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def listening_pid(url):
    """The local process that listens on the URL's port (for --url), or None."""
    port = urllib.parse.urlsplit(url).port or 80
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                for line in list(f)[1:]:
                    fields = line.split()
                    if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                        inodes.add(fields[9])
        except OSError:
            pass
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(pid)
        except OSError:
            continue
    return None


class MemorySampler(threading.Thread):
    """Samples VmRSS of the server processes twice a second; keeps the peak."""

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids, self.peak, self.stopped = pids, {pid: 0.0 for pid in pids}, threading.Event()

    def run(self):
        while not self.stopped.wait(0.5):
            for pid in self.pids:
                value = rss_mib(pid)
                if value == value:
                    self.peak[pid] = max(self.peak[pid], value)


# MARK: writers

class Writers:
    """Reports (officer) and reviews (deputy) through the API at a fixed total rate: a
    scheduler hands one write every 1/rate s to a pool of worker threads, each with its own
    keep-alive connection. An assignment is held by one write at a time, so the writers never
    race each other; a 409 therefore means something else changed it."""

    def __init__(self, urls, officer_token, deputy_token, open_ids, waiting_ids, periodic, rate, workers, seed):
        self.urls, self.rate, self.workers = urls, rate, workers
        self.tokens = {"report": officer_token, "review": deputy_token}
        self.open, self.waiting = list(open_ids), list(waiting_ids)
        self.periodic = periodic
        self.lock = threading.Lock()
        self.random = random.Random(seed)
        self.records = []  # (kind, decision, assignment, status, seconds, behind schedule, answer, server ms)
        self.starved = 0
        self.sequence = itertools.count(1)

    def start(self):
        self.stopping = threading.Event()
        self.jobs = queue.Queue()
        self.threads = [threading.Thread(target=self.work, args=(n,), daemon=True) for n in range(self.workers)]
        self.scheduler = threading.Thread(target=self.schedule, daemon=True)
        self.started = time.monotonic()
        for thread in self.threads + [self.scheduler]:
            thread.start()

    def stop(self):
        self.stopping.set()
        self.scheduler.join()
        for _ in self.threads:
            self.jobs.put(None)
        for thread in self.threads:
            thread.join(timeout=60)
        self.stopped = time.monotonic()

    def schedule(self):
        tick = 0
        while not self.stopping.is_set():
            due = self.started + tick / self.rate
            delay = due - time.monotonic()
            if delay > 0 and self.stopping.wait(delay):
                break
            with self.lock:
                if self.waiting and (tick % 2 == 1 or not self.open):
                    job = ("review", self.waiting.pop(self.random.randrange(len(self.waiting))))
                elif self.open:
                    job = ("report", self.open.pop(self.random.randrange(len(self.open))))
                else:
                    job = None
                    self.starved += 1
            if job:
                self.jobs.put((job[0], job[1], due, tick))
            tick += 1

    def work(self, number):
        connections = {}
        while True:
            job = self.jobs.get()
            if job is None:
                break
            kind, assignment, due, tick = job
            url = self.urls[tick % len(self.urls)]
            if kind == "report":
                path = "/api/v1/reports"
                body = {"assignment": assignment, "text": f"Benchmark report {next(self.sequence)} on {assignment}: works on schedule."}
                decision = ""
            else:
                path = "/api/v1/reviews"
                decision = "accept" if self.periodic.get(assignment) else "return"
                body = {"assignment": assignment, "decision": decision, "final": False}
                if decision == "return":
                    body["remarks"] = "Please add the figures for the quarter."
            started = time.monotonic()
            status, answer, server = self.post(connections, url, path, body, self.tokens[kind])
            seconds = time.monotonic() - started
            with self.lock:
                self.records.append((kind, decision, assignment, status, seconds, started - due, answer, server))
                if kind == "report" and status == 201:
                    self.waiting.append(assignment)
                elif kind == "review" and status == 200:
                    self.open.append(assignment)  # accepted (not final): in progress; returned: returned
                # Anything else leaves the assignment in a state we do not know: it is dropped.

    @staticmethod
    def post(connections, url, path, body, token):
        parts = urllib.parse.urlsplit(url)
        data = json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "Authorization": "Bearer " + token}
        for attempt in (1, 2):
            connection = connections.get(url)
            if connection is None:
                connection = connections[url] = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
            try:
                connection.request("POST", path, body=data, headers=headers)
                response = connection.getresponse()
                text = response.read()
                server = server_phases(response.getheader("Server-Timing"))
                try:
                    answer = json.loads(text)
                except ValueError:
                    answer = None
                return response.status, answer, server
            except (OSError, http.client.HTTPException):
                connection.close()
                connections.pop(url, None)
                if attempt == 2:
                    return 0, None, None
        return 0, None, None


def server_ms(header):
    """The server's own time from `Server-Timing: app;dur=12.345, tx;dur=…` (ms), or None."""
    return server_phases(header).get("app")


def server_phases(header):
    """Every metric of a `Server-Timing` header: {"app": 12.345, "tx": …} (ms)."""
    phases = {}
    for metric in (header or "").split(","):
        name, _, rest = metric.strip().partition(";")
        for part in rest.split(";"):
            if part.strip().startswith("dur="):
                try:
                    phases[name.strip()] = float(part.strip()[4:])
                except ValueError:
                    pass
    return phases


# MARK: checking the writes

class Database:
    def __init__(self, data, database_url):
        self.data, self.url = data, database_url

    def rows(self, sql):
        if self.url:
            out = subprocess.run(["psql", self.url, "-AtqF", "\t", "-c", sql], capture_output=True, text=True, check=True).stdout
            return [line.split("\t") for line in out.splitlines() if line]
        path = os.path.join(self.data, "aimaq.sqlite")
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as connection:
            return [[str(v) for v in row] for row in connection.execute(sql)]


def check_writes(records, officer, deputy, database, base, officer_token):
    """(accepted reports, accepted reviews, lost, how it was checked): every 2xx report's id
    must be a report by the officer, and every assignment must have at least as many reviews
    by the deputy as were answered 2xx."""
    report_ids = {r[6]["id"] for r in records if r[0] == "report" and r[3] == 201 and isinstance(r[6], dict)}
    reviews = {}
    for r in records:
        if r[0] == "review" and r[3] == 200:
            reviews[r[2]] = reviews.get(r[2], 0) + 1
    if database is not None:
        stored_reports = {int(row[0]) for row in database.rows(f"SELECT id FROM reports WHERE author = '{officer}'")}
        stored_reviews = {int(row[0]): int(row[1]) for row in database.rows(
            "SELECT r.assignment_id, count(*) FROM reviews v JOIN reports r ON r.id = v.report_id "
            f"WHERE v.reviewer = '{deputy}' GROUP BY r.assignment_id")}
        how = "in the database"
    else:
        stored_reports, stored_reviews = set(), {}
        touched = {r[2] for r in records if r[3] in (200, 201)}
        for assignment in touched:
            page = get_json(base, f"/api/v1/reports?assignment={assignment}&per=500", officer_token)
            for item in page["items"]:
                if item["author"] == officer:
                    stored_reports.add(item["id"])
                stored_reviews[assignment] = stored_reviews.get(assignment, 0) + \
                    sum(1 for review in item["reviews"] if review["reviewer"] == deputy)
        how = "through the API (no database given)"
    lost = len(report_ids - stored_reports)
    lost += sum(max(0, count - stored_reviews.get(assignment, 0)) for assignment, count in reviews.items())
    return len(report_ids), sum(reviews.values()), lost, how


# MARK: set-up

def aimaq(binary, *arguments, stdin=None):
    result = subprocess.run([binary, *arguments], input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{binary} {' '.join(arguments[:2])} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout


def make_token(binary, location, email, role, run):
    body = ["--body", "akimat"] if role == "akimat_officer" else []  # the regional akimat and its departments
    aimaq(binary, "user", "add", *location, "--email", email, "--role", role, "--territory", HOME_REGION, *body,
          "--password-stdin", stdin=f"bench-{run}-{random.getrandbits(64):x}\n")
    result = subprocess.run([binary, "user", "token", *location, "--email", email, "--name", f"mixed benchmark {run}"],
                            capture_output=True, text=True)
    token = result.stdout.strip()
    if result.returncode != 0 or not token.startswith("aimaq_"):
        sys.exit(f"`aimaq user token --email {email}` gave no token ({result.returncode}): {result.stderr.strip()}\n"
                 "(pass --officer-token and --deputy-token made on /my to skip this)")
    return token


def page_groups(base, seed, what_if_base, year):
    """The read mix: lists of paths per kind of page, each checked once (anonymous, 200)."""
    rng = random.Random(seed)
    instructions = [i["id"] for i in get_json(base, "/api/v1/instructions?per=500")["items"]]
    assignments = []
    for region in (HOME_REGION, "750000000", "710000000"):
        items = get_json(base, f"/api/v1/assignments?territory={region}&per=500")["items"]
        assignments += rng.sample([a["id"] for a in items], min(len(items), 50 if region == HOME_REGION else 25))
    groups = {
        "region page": [f"/territories/{code}" for code in REGIONS] + ["/territories/435200000"],
        "instruction page": [f"/instructions/{i}" for i in rng.sample(instructions, min(40, len(instructions)))],
        "filtered register": [f"/instructions?territory={region}&status={status}"
                              for region in (HOME_REGION, "750000000")
                              for status in ["assigned", "in_progress", "report_submitted", "returned", "accepted"]]
                             + [f"/instructions?territory={HOME_REGION}&overdue=true"],
        "assignment page": [f"/assignments/{a}" for a in assignments],
        "budget overview": ["/budget"] + ([f"/budget?year={year}"] if year else []) + [f"/budget?territory={HOME_REGION}"],
    }
    for name, paths in groups.items():
        good = [p for p in paths if status_of(base, p) == 200]
        if len(good) < len(paths):
            note(f"mix: {len(paths) - len(good)} of {len(paths)} {name} paths do not answer 200 and are left out")
        groups[name] = good
    groups = {name: paths for name, paths in groups.items() if paths}
    if status_of(base, what_if_base + "0.1234") == 200:
        groups["what-if, random share"] = ["@what-if"]
    else:
        note(f"mix: {what_if_base}0.1234 does not answer 200; the what-if is left out")
    return groups


def write_pools(base, token):
    """Kyzylorda's region-level assignments that take a report now, those with a report waiting, and which
    instructions report periodically (their reports are accepted without closing them)."""
    open_ids, waiting, instruction_of = [], [], {}
    for status in OPEN_STATUSES + ["report_submitted"]:
        items = get_json(base, f"/api/v1/assignments?territory={HOME_REGION}&status={status}&per=500", token)["items"]
        # The officer answers for the regional akimat and its departments: region-level assignments.
        items = [a for a in items if str(a["territory"]) == HOME_REGION]
        (waiting if status == "report_submitted" else open_ids).extend(a["id"] for a in items)
        instruction_of.update((a["id"], a["instruction"]) for a in items)
    period = {}
    for instruction in set(instruction_of.values()):
        period[instruction] = get_json(base, f"/api/v1/instructions/{instruction}", token)["instruction"]["period"]
    periodic = {a: period.get(i, "once") != "once" for a, i in instruction_of.items()}
    return open_ids, waiting, periodic


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)  # nearest rank
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build-release/release/aimaq")
    parser.add_argument("--data", help="existing data folder (the national set); generated when missing")
    parser.add_argument("--database-url", help="postgres://… (default: SQLite in the data folder)")
    parser.add_argument("--servers", type=int, choices=[1, 2], default=1, help="with 2, nginx balances between them")
    parser.add_argument("--url", help="attach to this running server or load balancer instead of starting one")
    parser.add_argument("--urls", help="attach to these running servers (comma-separated): readers and writes spread over them")
    parser.add_argument("--pid", type=int, action="append", default=[], help="server process to measure when attaching (default: found by port)")
    parser.add_argument("--officer-token", help="API token of an akimat officer in Kyzylorda (default: made with `aimaq user token`)")
    parser.add_argument("--deputy-token", help="API token of a maslikhat deputy in Kyzylorda (default: made with `aimaq user token`)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--writes-per-second", type=float, default=20.0)
    parser.add_argument("--writers", type=int, default=8, help="writer threads (each write waits for its answer)")
    parser.add_argument("--what-if", default="/budget/what-if?year=2026&code=101201&from=3&to=4",
                        help="the what-if without its share; a random share 0.0001-0.9999 is added to each request")
    parser.add_argument("--port", type=int, default=8090, help="first server's port (the second +1, nginx +2)")
    parser.add_argument("--write-what-if-script", metavar="FILE",
                        help="only write the what-if's wrk script (a random share per request) to FILE, for wrk on its own")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the servers, e.g. AIMAQ_PAGE_CACHE=off")
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    what_if_base = args.what_if + ("&" if "?" in args.what_if else "?") + "share="
    if args.write_what_if_script:
        try:
            Path(args.write_what_if_script).write_text(lua_script([["@what-if"]], what_if_base))
        except OSError as error:
            sys.exit(f"--write-what-if-script: cannot write {args.write_what_if_script}: {error.strerror}")
        print(f"wrote {args.write_what_if_script}: wrk -t2 -c64 -d10s --latency -s {args.write_what_if_script} http://127.0.0.1:PORT")
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    run = f"{int(time.time())}{os.getpid()}"
    attached = [u.rstrip("/") for u in (args.urls.split(",") if args.urls else [args.url] if args.url else [])]
    started, temporary = [], []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    def start(command, log_name, env=None):
        folder = tempfile.mkdtemp(prefix="aimaq-mixed-log-")
        temporary.append(folder)
        log = open(os.path.join(folder, log_name), "w")
        note(f"starting {' '.join(command)} (log {log.name})")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        started.append(process)
        return process

    try:
        data = args.data
        location = []
        if data is None and not attached:
            data = tempfile.mkdtemp(prefix="aimaq-mixed-data-")
            note(f"generating the national set in {data} (aimaq demo --national --load-only); "
                 f"it is kept: pass --data {data} next time")
            aimaq(args.binary, "demo", "--national", "--load-only", "--data", data,
                  *(["--database-url", args.database_url] if args.database_url else []))
        if data is not None:
            location = ["--data", data] + (["--database-url", args.database_url] if args.database_url else [])
        officer, deputy = f"bench-officer-{run}@mixed.test", f"bench-deputy-{run}@mixed.test"
        if args.officer_token and args.deputy_token:
            officer_token, deputy_token = args.officer_token, args.deputy_token
            officer = deputy = None  # unknown: the check falls back to counting by token owner below
        else:
            if not location:
                sys.exit("--data (and --database-url for PostgreSQL) is needed to make accounts; or pass both tokens")
            os.environ.setdefault("AIMAQ_BCRYPT_COST", "4")
            officer_token = make_token(args.binary, location, officer, "akimat_officer", run)
            deputy_token = make_token(args.binary, location, deputy, "maslikhat_deputy", run)

        env = dict(os.environ)
        # One load generator on one address is the very visitor the limits stop: off here.
        env.setdefault("AIMAQ_RATE_LIMITS", "off")
        for item in args.env:
            key, _, value = item.partition("=")
            env[key] = value
        servers = []
        if attached:
            read_urls = attached
            pids = args.pid or [p for p in (listening_pid(u) for u in attached) if p]
            for url in attached:
                wait_health(url, seconds=30)
            setting = f"attached to {', '.join(attached)}"
        else:
            for n in range(args.servers):
                folder = data
                if n > 0 and args.database_url:
                    folder = tempfile.mkdtemp(prefix="aimaq-mixed-data2-")
                    temporary.append(folder)
                    # The second server signs the audit log with the first one's key.
                    key = os.path.join(data, "audit.key")
                    if os.path.exists(key) and not os.environ.get("AIMAQ_AUDIT_KEY"):
                        shutil.copy(key, os.path.join(folder, "audit.key"))
                elif n > 0:
                    note("note: two servers on one SQLite file share the data folder")
                port = args.port + n
                command = [args.binary, "serve", "--data", folder, "--port", str(port)]
                if args.database_url:
                    command += ["--database-url", args.database_url]
                servers.append((start(command, f"server{n + 1}.log", env), f"http://127.0.0.1:{port}"))
            for process, url in servers:
                wait_health(url, process)
            pids = [process.pid for process, _ in servers]
            if args.servers == 2:
                nginx = shutil.which("nginx") or "/usr/sbin/nginx"
                if not os.access(nginx, os.X_OK):
                    sys.exit("nginx is missing: apt-get install nginx")
                folder = tempfile.mkdtemp(prefix="aimaq-mixed-nginx-")
                temporary.append(folder)
                config = subprocess.run(["bash", str(REPO / ".ci" / "two-servers.sh"), "nginx-config", folder,
                                         str(args.port + 2), str(args.port), str(args.port + 1)],
                                        capture_output=True, text=True, check=True).stdout.strip()
                balancer = start([nginx, "-p", folder, "-c", config, "-e", os.path.join(folder, "error.log")], "nginx.log")
                read_urls = [f"http://127.0.0.1:{args.port + 2}"]
                wait_health(read_urls[0], balancer, seconds=30)
            else:
                read_urls = [servers[0][1]]
            database_name = "PostgreSQL" if args.database_url else "SQLite"
            setting = f"{args.servers} server{'s behind nginx' if args.servers == 2 else ''} on {database_name}"
        base = read_urls[0]
        for pid in pids:
            note(f"server pid {pid}: {rss_mib(pid):.0f} MiB before the runs")

        year = urllib.parse.parse_qs(urllib.parse.urlsplit(args.what_if).query).get("year", [None])[0]
        groups = page_groups(base, args.seed, what_if_base, year)
        if not groups:
            sys.exit("no page of the mix answers 200")
        folder = tempfile.mkdtemp(prefix="aimaq-mixed-lua-")
        temporary.append(folder)
        mix_script, what_if_script = os.path.join(folder, "mix.lua"), os.path.join(folder, "what-if.lua")
        Path(mix_script).write_text(lua_script(list(groups.values()), what_if_base))
        Path(what_if_script).write_text(lua_script([["@what-if"]], what_if_base))
        note("mix: " + "; ".join(f"{name} ({len(paths)} path{'s' if len(paths) > 1 else ''})" for name, paths in groups.items()))

        open_ids, waiting, periodic = write_pools(base, officer_token)
        note(f"writes: {len(open_ids)} Kyzylorda assignments take a report, {len(waiting)} wait for review, "
             f"{sum(periodic.values())} report periodically")
        if not open_ids and not waiting:
            sys.exit("no Kyzylorda assignment to write to")
        writers = Writers(read_urls, officer_token, deputy_token, open_ids, waiting, periodic,
                          args.writes_per_second, args.writers, args.seed)

        sampler = MemorySampler(pids)
        sampler.start()
        note("warming up (3 s of each script, not counted)")
        run_wrk(read_urls, mix_script, args.connections, args.threads, 3)
        run_wrk(read_urls, what_if_script, args.connections, args.threads, 3)
        results = {"quiet": [], "writes": [], "what-if": []}
        write_seconds = 0.0
        records_before = 0
        for round_ in range(1, args.rounds + 1):
            for mode in results:
                if mode == "writes":
                    writers.start()
                    time.sleep(1)
                result = run_wrk(read_urls, what_if_script if mode == "what-if" else mix_script,
                                 args.connections, args.threads, args.duration)
                extra = ""
                if mode == "writes":
                    writers.stop()
                    write_seconds += writers.stopped - writers.started
                    new = writers.records[records_before:]
                    records_before = len(writers.records)
                    ok = [r[4] * 1000 for r in new if r[3] in (200, 201)]
                    extra = (f"; {len(new)} writes ({len(new) / (writers.stopped - writers.started):.1f}/s), "
                             f"{len(ok)} accepted, p50 {percentile(ok, 50):.1f} ms, p99 {percentile(ok, 99):.1f} ms")
                results[mode].append(result)
                rps, p50, p99, errors, sockets = result
                problems = f", {errors} non-2xx" if errors else ""
                problems += f", {sockets} socket errors" if sockets else ""
                note(f"round {round_}/{args.rounds} {mode}: {rps:,.0f} req/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms{problems}{extra}")
        sampler.stopped.set()
        memory_after = {pid: rss_mib(pid) for pid in pids}
        for pid, value in memory_after.items():
            if value == value:
                sampler.peak[pid] = max(sampler.peak[pid], value)

        records = writers.records
        database = None
        if location and officer:
            database = Database(data, args.database_url)
        elif officer is None:
            note("writes: tokens were given, so their owners are unknown; counting is left out")
        if officer:
            reports, reviews, lost, how = check_writes(records, officer, deputy, database, base, officer_token)
        else:
            reports = sum(1 for r in records if r[0] == "report" and r[3] == 201)
            reviews = sum(1 for r in records if r[0] == "review" and r[3] == 200)
            lost, how = 0, "not checked"
    finally:
        for process in reversed(started):
            if process.poll() is None:
                process.terminate()
        for process in reversed(started):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for folder in temporary:
            if "-log-" not in folder:
                shutil.rmtree(folder, ignore_errors=True)

    def median(mode, index):
        return statistics.median(r[index] for r in results[mode])
    accepted = [r[4] * 1000 for r in records if r[3] in (200, 201)]
    by_kind = {kind: [r[4] * 1000 for r in records if r[0] == kind and r[3] in (200, 201)] for kind in ("report", "review")}
    server_side = [r[7]["app"] for r in records if r[3] in (200, 201) and r[7] and "app" in r[7]]
    phases = {}
    for r in records:
        if r[3] in (200, 201) and r[7]:
            for name, value in r[7].items():
                if name != "app":
                    phases.setdefault(name, []).append(value)
    refused = [r for r in records if r[3] not in (200, 201)]
    refusals = {}
    for r in refused:
        refusals[r[3]] = refusals.get(r[3], 0) + 1
    behind = percentile([r[5] * 1000 for r in records], 99)
    quiet_rps, writes_rps = median("quiet", 0), median("writes", 0)
    ratio = writes_rps / quiet_rps if quiet_rps else float("nan")
    what_if_rps, what_if_p99 = median("what-if", 0), median("what-if", 2)
    rate = len(records) / write_seconds if write_seconds else 0.0
    read_errors = sum(r[3] + r[4] for mode in ("quiet", "writes") for r in results[mode])

    print(f"{setting}; {args.connections} reading connections, {args.rounds} × {args.duration} s per mode; "
          f"page mix: {', '.join(groups)}")
    print()
    print(f"| measure | quiet | with {args.writes_per_second:g} writes/s | ratio |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| reads, requests/s (median of rounds) | {quiet_rps:,.0f} | {writes_rps:,.0f} | {ratio:.0%} |")
    print(f"| reads p50 ms | {median('quiet', 1):.2f} | {median('writes', 1):.2f} | |")
    print(f"| reads p99 ms | {median('quiet', 2):.2f} | {median('writes', 2):.2f} | |")
    print(f"| writes p50 ms (reports and reviews) | | {percentile(accepted, 50):.2f} | |")
    print(f"| writes p99 ms | | {percentile(accepted, 99):.2f} | |")
    for kind, values in by_kind.items():
        print(f"| {kind}s p50 / p99 ms | | {percentile(values, 50):.2f} / {percentile(values, 99):.2f} | |")
    if server_side:
        print(f"| writes, the server's own time (Server-Timing) p50 / p99 ms | | "
              f"{percentile(server_side, 50):.2f} / {percentile(server_side, 99):.2f} | |")
    for name, values in phases.items():
        print(f"| of which `{name}` p50 / p99 ms | | {percentile(values, 50):.2f} / {percentile(values, 99):.2f} | |")
    print(f"| writes done, per second | | {rate:.1f} | |")
    print(f"| writes accepted (reports + reviews) / refused / lost | | {reports} + {reviews} / {len(refused)} / {lost} | |")
    print(f"| what-if, random share: requests/s | {what_if_rps:,.0f} | | |")
    print(f"| what-if, random share: p50 / p99 ms | {median('what-if', 1):.2f} / {what_if_p99:.2f} | | |")
    for n, pid in enumerate(pids, 1):
        print(f"| resident memory, server {n} (pid {pid}): after / peak MiB | {memory_after[pid]:.0f} / {sampler.peak[pid]:.0f} | | |")
    print()
    if refusals:
        print("Refused writes by status: " + ", ".join(f"{k or 'no answer'}: {v}" for k, v in sorted(refusals.items())) + ".")
    if read_errors:
        print(f"Reads: {read_errors} non-2xx answers or socket errors (see the rounds above).")
    if writers.starved:
        print(f"Writers found no assignment to act on {writers.starved} times (all held by writes in flight).")
    print(f"Writes were checked {how}; the worst 1% started {behind:.0f} ms or more behind their schedule.")

    memory = max([sampler.peak[p] for p in pids] + [m for m in memory_after.values() if m == m], default=float("nan"))
    missed = []
    if not ratio >= 0.5:
        missed.append("read throughput")
    if not median("writes", 2) < 50:
        missed.append("read p99")
    if not percentile(accepted, 50) < 20:
        missed.append("write p50")
    if not percentile(accepted, 99) < 100:
        missed.append("write p99")
    if lost:
        missed.append("writes lost")
    if not (what_if_rps >= 1000 and what_if_p99 < 100):
        missed.append("what-if")
    if not memory < 300:
        missed.append("memory")
    print(f"summary: {setting}: reads {quiet_rps:,.0f} -> {writes_rps:,.0f} req/s with {args.writes_per_second:g} writes/s "
          f"({ratio:.0%}), read p99 {median('writes', 2):.1f} ms; writes p50 {percentile(accepted, 50):.1f} ms "
          f"p99 {percentile(accepted, 99):.1f} ms, {reports + reviews} accepted, {lost} lost; what-if {what_if_rps:,.0f} req/s "
          f"p99 {what_if_p99:.1f} ms; memory max {memory:.0f} MiB; "
          + (f"targets missed: {', '.join(missed)}" if missed else "all targets met"))
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
