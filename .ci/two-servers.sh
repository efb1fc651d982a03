#!/usr/bin/env bash
# Two `aimaq serve` processes on one PostgreSQL, behind nginx (round robin), behave as one
# site: a write through one server shows on the other within 1 s, with or without traffic,
# and so does a command-line import. Ends with one line `two-servers: N passed, M failed`.
#
# Usage: bash .ci/two-servers.sh BINARY POSTGRES_URL
#        bash .ci/two-servers.sh nginx-config DIR LISTEN_PORT UPSTREAM_PORT...
# The second form only writes DIR/nginx.conf (the load balancer used here and by
# Benchmarks/http/mixed.py) and prints its path; start it with
#   nginx -p DIR -c DIR/nginx.conf -e DIR/error.log
# The database may already hold data (e.g. from the PostgreSQL test run): every account,
# source document and token made here carries this run's id.
# Environment: TWO_SERVERS_IDLE (seconds of silence before the idle check, default 5),
# TWO_SERVERS_KEEP=1 keeps the temporary folder.
set -uo pipefail

# The load balancer: private pid file, logs and temp paths under DIR; runs in the foreground
# (`daemon off`) so that the caller owns the process.
nginx_config() {
    local dir=$1 listen=$2
    shift 2
    mkdir -p "$dir/tmp"
    {
        [ "$(id -u)" = 0 ] && echo "user root root;"
        cat <<EOF
daemon off;
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    upstream aimaq {
EOF
        for port in "$@"; do echo "        server 127.0.0.1:$port;"; done
        cat <<'EOF'
        keepalive 64;
    }
    server {
EOF
        echo "        listen 127.0.0.1:$listen;"
        cat <<'EOF'
        client_max_body_size 60m;
        location / {
            proxy_pass http://aimaq;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header X-Aimaq-Upstream $upstream_addr always;
        }
    }
}
EOF
    } > "$dir/nginx.conf"
    echo "$dir/nginx.conf"
}

if [ "${1:-}" = nginx-config ]; then
    [ $# -ge 4 ] || { echo "usage: $0 nginx-config DIR LISTEN_PORT UPSTREAM_PORT..." >&2; exit 2; }
    shift
    nginx_config "$@"
    exit 0
fi

if [ $# -ne 2 ]; then
    echo "usage: bash $0 BINARY POSTGRES_URL" >&2
    exit 2
fi
BIN=$(realpath -e "$1" 2>/dev/null || echo "$1")
URL=$2
passed=0
failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
summary() { echo "two-servers: $passed passed, $failed failed"; }
# A step the checks cannot go on without: say what broke, show the logs, stop.
die() {
    fail "$*"
    for log in "$T"/server1.log "$T"/server2.log "$T"/nginx/error.log; do
        [ -s "$log" ] && { echo "--- last lines of $log"; tail -n 30 "$log"; }
    done
    summary
    exit 1
}

T=$(mktemp -d /tmp/aimaq-two-servers.XXXXXX)
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
    done
    wait 2>/dev/null
    if [ "${TWO_SERVERS_KEEP:-0}" = 1 ] || [ "$failed" -gt 0 ]; then
        echo "two-servers: files kept in $T" >&2
    else
        rm -rf "$T"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "=== two servers on one PostgreSQL behind nginx ($T)"
[ -x "$BIN" ] || die "setup: $BIN is not an executable (build it first: swift build --product aimaq)"
for tool in curl python3 psql; do
    command -v "$tool" >/dev/null || die "setup: $tool is missing"
done
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq nginx >/dev/null || die "setup: cannot install nginx"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
psql "$URL" -Atqc "SELECT 1" >/dev/null 2>"$T/psql.err" || die "setup: PostgreSQL at $URL does not answer: $(cat "$T/psql.err")"

# Bcrypt at the lowest cost: the accounts here never sign in with a password.
export AIMAQ_BCRYPT_COST=4
# Both servers and the commands sign the audit log with one key (each has its own data folder).
export AIMAQ_AUDIT_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n")
RUN=$(date +%s)$$
D1=$T/data1
D2=$T/data2
mkdir -p "$D2"
deputy=deputy-$RUN@two-servers.test

"$BIN" migrate --data "$D1" --database-url "$URL" > "$T/migrate.log" 2>&1 \
    || { cat "$T/migrate.log"; die "setup: aimaq migrate"; }
add_user() {  # email role territory [body]
    head -c 18 /dev/urandom | base64 | "$BIN" user add --data "$D1" --database-url "$URL" \
        --email "$1" --role "$2" --territory "$3" ${4:+--body "$4"} --password-stdin > "$T/user-add.log" 2>&1 \
        || { cat "$T/user-add.log"; die "setup: aimaq user add --email $1 --role $2"; }
}
token() {
    "$BIN" user token --data "$D1" --database-url "$URL" --email "$1" --name "two-servers $RUN" 2>"$T/token.err" | tr -d '[:space:]'
}
# An officer of each akimat that answers for the plan's assignments (an officer reports only
# for the body the account is bound to), and a deputy of the region.
officer_tokens=""
for kato in 430000000 433200000 434000000 435200000; do
    add_user "officer-$kato-$RUN@two-servers.test" akimat_officer "$kato" akimat
    t=$(token "officer-$kato-$RUN@two-servers.test")
    [[ "$t" == aimaq_* ]] || { cat "$T/token.err"; die "setup: aimaq user token for the officer of $kato printed no token"; }
    officer_tokens+="$kato=$t,"
done
add_user "$deputy" maslikhat_deputy 430000000
deputy_token=$(token "$deputy")
[[ "$deputy_token" == aimaq_* ]] || { cat "$T/token.err"; die "setup: aimaq user token --email $deputy printed no token"; }

# Two small plans in Kyzylorda region: the first loaded now, the second while serving.
today=$(date -u +%F)
deadline=$(date -u -d '+150 days' +%F)
header=source_key,source_kind,source_date,source_number,source_title,point,text,category,deadline,period,public,indicator_name,indicator_unit,indicator_target,territory,assignment_deadline
{
    echo "$header"
    for kato in 430000000 433200000 434000000 435200000; do
        echo "ts$RUN,protocol,$today,TS-$RUN,Two-server check $RUN (first plan),1,Repair the water mains of the district centres (check $RUN),water,$deadline,quarterly,yes,,,,$kato,"
    done
} > "$T/plan1.csv"
{
    echo "$header"
    for kato in 430000000 434400000 434800000; do
        echo "tt$RUN,protocol,$today,TT-$RUN,Two-server check $RUN (second plan),1,Open youth centres in every district (check $RUN),youth,$deadline,quarterly,yes,,,,$kato,"
    done
} > "$T/plan2.csv"
"$BIN" import plan --data "$D1" --database-url "$URL" "$T/plan1.csv" > "$T/import1.log" 2>&1 \
    || { cat "$T/import1.log"; die "setup: aimaq import plan (first plan)"; }
# A national opinion-map conversation open today, from a small Polis export.
mkdir -p "$T/polis"
{ echo "comment-id,comment-body,moderated"; for n in 0 1 2 3 4 5; do echo "$n,Two-server statement $n ($RUN),1"; done; } > "$T/polis/comments.csv"
{ echo "timestamp,comment-id,voter-id,vote"; echo "1,0,0,1"; echo "2,1,1,-1"; } > "$T/polis/votes.csv"
"$BIN" import polis --data "$D1" --database-url "$URL" --title "Two-server conversation $RUN" \
    --opens "$(date -u -d "-1 day" +%F)" --closes "$(date -u -d '+1 day' +%F)" "$T/polis" > "$T/polis.log" 2>&1 \
    || { cat "$T/polis.log"; die "setup: aimaq import polis"; }
conversation=$(sed -n 's/^imported conversation \([0-9]*\):.*/\1/p' "$T/polis.log")
[ -n "$conversation" ] || { cat "$T/polis.log"; die "setup: aimaq import polis printed no conversation"; }

read -r P1 P2 P3 < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
for s in socks: s.close()')
"$BIN" serve --data "$D1" --database-url "$URL" --port "$P1" > "$T/server1.log" 2>&1 &
pids+=($!)
"$BIN" serve --data "$D2" --database-url "$URL" --port "$P2" > "$T/server2.log" 2>&1 &
pids+=($!)
nginx_config "$T/nginx" "$P3" "$P1" "$P2" > /dev/null
"$NGINX" -p "$T/nginx" -c "$T/nginx/nginx.conf" -e "$T/nginx/error.log" > "$T/nginx/stdout.log" 2>&1 &
pids+=($!)

wait_health() {  # NAME URL PID
    for _ in $(seq 1 600); do
        curl -fsS -m 2 "$2/health" >/dev/null 2>&1 && return 0
        kill -0 "$3" 2>/dev/null || die "setup: $1 exited before answering /health"
        sleep 0.2
    done
    die "setup: $1 did not answer $2/health within 120 s"
}
wait_health "server 1" "http://127.0.0.1:$P1" "${pids[0]}"
wait_health "server 2" "http://127.0.0.1:$P2" "${pids[1]}"
wait_health "nginx" "http://127.0.0.1:$P3" "${pids[2]}"
pass "setup: schema migrated, 2 accounts with tokens, plan imported, servers on :$P1 and :$P2 and nginx on :$P3 answer /health"

cat > "$T/checks.py" <<'PY'
"""The checks, run against servers that are already up. Prints one PASS or FAIL line each."""
import json, os, subprocess, sys, time, urllib.error, urllib.request

E = os.environ
OFFICER_TOKENS = dict(pair.split("=", 1) for pair in E["OFFICER_TOKENS"].split(",") if pair)
OFFICER_TOKENS = {int(k): v for k, v in OFFICER_TOKENS.items()}
S1, S2, LB = E["S1"], E["S2"], E["LB"]
NAMES = {S1: "server 1", S2: "server 2", LB: "nginx"}
LIMIT = 1.0
RUN = E["RUN"]
failures = 0


def report(ok, text):
    global failures
    print(("PASS " if ok else "FAIL ") + text, flush=True)
    failures += 0 if ok else 1


def http(base, path, method="GET", body=None, token=None):
    """(status, headers, text) of one request; never raises for an HTTP status."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")
    except (urllib.error.URLError, OSError) as error:
        return 0, {}, str(error)


def register(base, instruction):
    """{assignment id: status} from the register of one instruction (the server's memory)."""
    status, _, text = http(base, f"/api/v1/assignments?instruction={instruction}&per=500")
    if status != 200:
        return None
    return {item["id"]: item["status"] for item in json.loads(text)["items"]}


def region_total(base):
    status, _, text = http(base, "/api/v1/assignments?territory=430000000&per=1")
    return json.loads(text)["total"] if status == 200 else None


def wait_for(condition, since, limit=LIMIT):
    """Polls `condition` every 20 ms until true; (ok, seconds since `since`, last value)."""
    last = None
    while True:
        ok, last = condition()
        now = time.monotonic()
        if ok:
            return True, now - since, last
        if now - since > limit:
            return False, now - since, last
        time.sleep(0.02)


def status_is(base, instruction, assignment, expected):
    def condition():
        statuses = register(base, instruction)
        value = statuses.get(assignment, "missing") if statuses is not None else "no answer"
        return value == expected, value
    return condition


def psql(sql):
    return subprocess.run(["psql", E["URL"], "-Atqc", sql], capture_output=True, text=True, check=True).stdout.split()


def plan_ids(title_part):
    rows = psql("SELECT a.instruction_id, a.id, a.territory_id FROM assignments a "
                "JOIN instructions i ON i.id = a.instruction_id JOIN source_documents s ON s.id = i.source_id "
                f"WHERE s.title = 'Two-server check {RUN} ({title_part})' ORDER BY a.territory_id")
    rows = [row.split("|") for row in rows]
    return (int(rows[0][0]) if rows else None), {int(r[2]): int(r[1]) for r in rows}


def period_label():
    t = time.gmtime(time.time() + 5 * 3600)  # Kazakhstan time
    return f"{t.tm_year}-Q{(t.tm_mon - 1) // 3 + 1}"


def write(base, kind, assignment, **extra):
    """Submits a report (officer) or a review (deputy); (status, body dict or text, seconds)."""
    if kind == "report":
        territory = next(t for t, a in A.items() if a == assignment)
        path, token = "/api/v1/reports", OFFICER_TOKENS[territory]
        body = {"assignment": assignment, "text": f"Report {RUN}-{assignment}-{extra.pop('n', 0)}", "period": period_label()}
    else:
        path, token = "/api/v1/reviews", E["DEPUTY_TOKEN"]
        body = {"assignment": assignment, "decision": extra.pop("decision")}
        if body["decision"] == "return":
            body["remarks"] = "Add the figures for the district centres."
        body["final"] = False
    body.update(extra)
    started = time.monotonic()
    status, _, text = http(base, path, "POST", body, token)
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = text[:200]
    return status, parsed, time.monotonic() - started


first, A = plan_ids("first plan")
if first is None or len(A) != 4:
    report(False, f"setup: the first plan's 4 assignments are not in the database (found {len(A)})")
    sys.exit(1)
a1, a2, a3, a4 = A[430000000], A[433200000], A[434000000], A[435200000]
expected = {a: "assigned" for a in A.values()}

# (a) Both servers read the register, and pages, so that what they keep in memory is warm.
for base in (S1, S2):
    statuses = register(base, first)
    report(statuses == expected, f"(a) {NAMES[base]} lists the first plan's 4 assignments as assigned: {statuses}")
    for path in ("/territories/430000000", f"/instructions/{first}", f"/assignments/{a1}",
                 "/instructions?territory=430000000&status=assigned"):
        status, _, _ = http(base, path)
        report(status == 200, f"(a) {NAMES[base]} GET {path}: {status}")
region_before = {base: region_total(base) for base in (S1, S2)}

# (b) A report through server 1, (c) on server 2 within a second.
status, body, took = write(S1, "report", a1, n=1)
done = time.monotonic()
report(status == 201 and isinstance(body, dict) and isinstance(body.get("id"), int),
       f"(b) report on assignment {a1} through server 1: {status} {body} in {took * 1000:.0f} ms")
expected[a1] = "report_submitted"
ok, seconds, last = wait_for(status_is(S2, first, a1, "report_submitted"), done)
report(ok, f"(c) server 2's register shows assignment {a1} report_submitted after {seconds * 1000:.0f} ms "
           f"(limit {LIMIT * 1000:.0f} ms; last seen: {last})")
ok, seconds, _ = wait_for(lambda: (f"Report {RUN}-{a1}-1" in http(S2, f"/assignments/{a1}")[2], None), done)
report(ok, f"(c) server 2's assignment page shows the report after {seconds * 1000:.0f} ms (limit {LIMIT * 1000:.0f} ms)")

# (d) A command-line import reaches both running servers.
result = subprocess.run([E["BIN"], "import", "plan", "--data", E["D1"], "--database-url", E["URL"], E["PLAN2"]],
                        capture_output=True, text=True)
done = time.monotonic()
report(result.returncode == 0, f"(d) aimaq import plan (second plan) while serving: {(result.stdout + result.stderr).strip()[-300:]}")
second, B = plan_ids("second plan")
if second is not None:
    for base in (S1, S2):
        def condition(base=base):
            statuses = register(base, second)
            return statuses is not None and len(statuses) == 3 and set(statuses.values()) == {"assigned"}, statuses
        ok, seconds, last = wait_for(condition, done)
        report(ok, f"(d) {NAMES[base]} lists the imported instruction {second} with 3 assignments after "
                   f"{seconds * 1000:.0f} ms (limit {LIMIT * 1000:.0f} ms; last seen: {last})")
        if region_before[base] is not None:
            ok, seconds, last = wait_for(lambda base=base: (region_total(base) == region_before[base] + 3, region_total(base)), done)
            report(ok, f"(d) {NAMES[base]}'s Kyzylorda register grew from {region_before[base]} by 3 (seen {last})")
        status, _, _ = http(base, f"/instructions/{second}")
        report(status == 200, f"(d) {NAMES[base]} GET /instructions/{second}: {status}")
else:
    report(False, "(d) the second plan is not in the database")

# (e) Writes and reads through nginx: each write is read back through nginx within a second,
# a repeated transition is refused with 409, and every read agrees.
steps = [("review", a1, {"decision": "return"}, "returned"),
         ("report", a2, {"n": 2}, "report_submitted"),
         ("report", a3, {"n": 3}, "report_submitted"),
         ("review", a2, {"decision": "accept"}, "in_progress"),
         ("report", a1, {"n": 4}, "report_submitted"),
         ("review", a3, {"decision": "return"}, "returned"),
         ("report", a4, {"n": 5}, "report_submitted")]
for kind, assignment, extra, target in steps:
    status, body, took = write(LB, kind, assignment, **extra)
    done = time.monotonic()
    ok = status in (200, 201)
    if ok:
        expected[assignment] = target
        showing = set()  # the upstreams that answered with the new status

        def condition():
            code, headers, text = http(LB, f"/api/v1/assignments?instruction={first}&per=500")
            value = {i["id"]: i["status"] for i in json.loads(text)["items"]}.get(assignment) if code == 200 else code
            if value == target:
                showing.add(headers.get("X-Aimaq-Upstream", "?"))
            return len(showing) >= 2, value
        seen, seconds, last = wait_for(condition, done)
        action = f"{kind} ({extra['decision']})" if "decision" in extra else kind
        report(seen, f"(e) {action} on {assignment} through nginx: {status} in {took * 1000:.0f} ms; read back through "
                     f"nginx as {target} from both servers after {seconds * 1000:.0f} ms (from {sorted(showing)}; last seen: {last})")
    else:
        report(False, f"(e) {kind} on {assignment} through nginx: {status} {body}")
status, body, _ = write(LB, "report", a1, n=6)
report(status == 409, f"(e) a second report on {a1}, which awaits review, is refused through nginx: {status} {body}")
for base in (S1, S2):
    ok, seconds, last = wait_for(lambda base=base: (register(base, first) == expected, register(base, first)), time.monotonic())
    report(ok, f"(e) {NAMES[base]} agrees with every write: {last}")
upstreams, disagreements = set(), []
for _ in range(20):
    status, headers, text = http(LB, f"/api/v1/assignments?instruction={first}&per=500")
    upstreams.add(headers.get("X-Aimaq-Upstream", "?") if status else "?")
    statuses = {item["id"]: item["status"] for item in json.loads(text)["items"]} if status == 200 else status
    if statuses != expected:
        disagreements.append(statuses)
report(not disagreements, f"(e) 20 reads through nginx all agree with the writes ({len(disagreements)} did not)")
report(len(upstreams - {"?"}) >= 2, f"(e) nginx spread the reads over both servers: {sorted(upstreams)}")

# (f) After a silence, a write through server 1 shows on server 2 within a second.
idle = float(E.get("IDLE", "5"))
time.sleep(idle)
status, body, took = write(S1, "review", a1, decision="accept")
done = time.monotonic()
report(status == 200, f"(f) after {idle:.0f} s without traffic, accepting the report on {a1} through server 1: {status} {body}")
ok, seconds, last = wait_for(status_is(S2, first, a1, "in_progress"), done)
report(ok, f"(f) server 2 shows assignment {a1} in_progress after {seconds * 1000:.0f} ms "
           f"(limit {LIMIT * 1000:.0f} ms; last seen: {last})")

# (g) A vote through server 1 reaches server 2's opinion map within a second, and votes
# spread by nginx over both servers all count on both maps.
conversation = E["CONVERSATION"]
token = next(iter(OFFICER_TOKENS.values()))


def totals(base):
    code, _, text = http(base, f"/api/v1/conversations/{conversation}")
    if code != 200:
        return None
    return {s["id"]: (s["agrees"], s["disagrees"], s["passes"]) for s in json.loads(text)["statements"]}


ok, seconds, first_map = wait_for(lambda: (totals(S2) is not None and bool(totals(S2)), totals(S2)), time.monotonic(), limit=30)
statements = sorted(first_map or {})
report(ok and len(statements) == 6, f"(g) server 2 maps the imported conversation {conversation}: {len(statements)} statements")
if statements:
    target = statements[2]
    before = (totals(S2) or {}).get(target, (0, 0, 0))
    status, _, text = http(S1, f"/api/v1/conversations/{conversation}/votes", "POST", {"statement": target, "vote": "agree"}, token)
    done = time.monotonic()
    report(status == 201, f"(g) a vote through server 1: {status} {text[:80]}")
    ok, seconds, last = wait_for(lambda: ((totals(S2) or {}).get(target, before)[0] == before[0] + 1,
                                          (totals(S2) or {}).get(target)), done)
    report(ok, f"(g) server 2's map shows it after {seconds * 1000:.0f} ms (limit {LIMIT * 1000:.0f} ms; last seen: {last})")
    answers = ["agree", "disagree", "pass"]
    statuses = [http(LB, f"/api/v1/conversations/{conversation}/votes", "POST",
                     {"statement": statements[n % 6], "vote": answers[n % 3]}, token)[0] for n in range(30)]
    report(statuses.count(201) == 30, f"(g) 30 votes through nginx: {sorted(set(statuses))}")
    ok1, _, one = wait_for(lambda: (totals(S1) == totals(S2), totals(S1)), time.monotonic(), limit=3)
    report(ok1, f"(g) both servers' maps count the same votes: {one}")

result = subprocess.run([E["BIN"], "audit", "verify", "--data", E["D1"], "--database-url", E["URL"]],
                        capture_output=True, text=True)
report(result.returncode == 0, "aimaq audit verify: " + ((result.stdout.strip() or result.stderr.strip()).splitlines() or [""])[-1])
sys.exit(1 if failures else 0)
PY

S1=http://127.0.0.1:$P1 S2=http://127.0.0.1:$P2 LB=http://127.0.0.1:$P3 RUN=$RUN BIN=$BIN URL=$URL D1=$D1 \
    PLAN2=$T/plan2.csv OFFICER_TOKENS=$officer_tokens DEPUTY_TOKEN=$deputy_token IDLE=${TWO_SERVERS_IDLE:-5} CONVERSATION=$conversation \
    python3 "$T/checks.py" 2>&1 | tee "$T/checks.out"
checks_rc=${PIPESTATUS[0]}
passed=$((passed + $(grep -c '^PASS' "$T/checks.out")))
failed=$((failed + $(grep -c '^FAIL' "$T/checks.out")))
if [ "$checks_rc" != 0 ] && ! grep -q '^FAIL' "$T/checks.out"; then
    fail "the checks stopped with status $checks_rc (see above)"
fi
names=("server 1" "server 2" "nginx")
for i in 0 1 2; do
    kill -0 "${pids[$i]}" 2>/dev/null || fail "${names[$i]} exited during the checks"
done
if [ "$failed" -gt 0 ]; then
    for log in "$T"/server1.log "$T"/server2.log "$T"/nginx/error.log; do
        [ -s "$log" ] && { echo "--- last lines of $log"; tail -n 20 "$log"; }
    done
fi
summary
[ "$failed" -eq 0 ]
