#!/usr/bin/env bash
# Reliability checks of issue 12, with the real binary:
#  1. SIGKILL in the middle of a large budget import, of the command (`aimaq import budget`) and
#     of the server (an upload through the import page): the database is as before, `aimaq
#     check` passes and `aimaq serve` serves it.
#  2. Backup and restore round trip on SQLite (while a server runs) and, given a URL, on
#     PostgreSQL (pg_dump / pg_restore): the restored copy checks and serves the same pages.
#  3. A copy of the database with 4 KB overwritten in its middle: `aimaq check` names the
#     damage and `aimaq serve` refuses to start.
# Usage: .ci/kill-test.sh BINARY [POSTGRES_URL]. Prints PASS/FAIL lines and a summary.
set -uo pipefail
BIN=$(realpath "$1")
URL=${2:-}
T=$(mktemp -d /tmp/aimaq-kill.XXXXXX)
export AIMAQ_BCRYPT_COST=4 AIMAQ_LOG_LEVEL=warning
passed=0 failed=0 pids=()
report() { if [ "$1" = 0 ]; then echo "PASS $2"; passed=$((passed + 1)); else echo "FAIL $2"; failed=$((failed + 1)); fi; }
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
count_lines() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM budget_lines').fetchone()[0])" "$1/aimaq.sqlite"; }
serves() {  # data-folder extra-args… → 0 when /budget and a territory page answer 200
    local port; port=$(free_port)
    "$BIN" serve --data "$1" --port "$port" "${@:2}" > "$T/serve-$port.log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.5; done
    curl -fsS -o /dev/null "http://127.0.0.1:$port/budget" && curl -fsS -o "$T/page-$port.html" "http://127.0.0.1:$port/territories/430000000"
    local ok=$?
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    LAST_PAGE=$T/page-$port.html
    return $ok
}

# A data folder with a small budget already in it.
D=$T/data
"$BIN" migrate --data "$D" > "$T/migrate.log" 2>&1 || { cat "$T/migrate.log"; report 1 "setup: aimaq migrate"; exit 1; }
python3 - "$T" <<'PY'
import csv, sys
from pathlib import Path
root = Path(sys.argv[1])
repo = Path.cwd() / "Sources/AimaqServer/Resources/Data"
kato = [r.split(";")[2] for r in (repo / "kato.csv").read_text(encoding="utf-8-sig").splitlines()[1:] if r.count(";") >= 3]
districts = sorted({c for c in kato if len(c) == 9 and c.endswith("00000") and c[2:4] != "00"})
functions = [r["code"] for r in csv.DictReader(open(repo / "budget/expenditure-functions.csv", encoding="utf-8"))]
def write(name, territories, years):
    with open(root / name, "w") as f:
        f.write("kind,territory,year,month,code,approved,adjusted,executed\n")
        for t in territories:
            for y in years:
                for m in range(1, 13):
                    for c in functions:
                        f.write(f"expenditure,{t},{y},{m},{c},1000,0,900\n")
write("small.csv", districts[:2], [2026])
write("large.csv", districts, [2024, 2025, 2026])
print(len(districts), "districts,", len(functions), "functions", file=sys.stderr)
PY
"$BIN" import budget --data "$D" "$T/small.csv" > "$T/small.log" 2>&1
report $? "setup: a small budget imports ($(wc -l < "$T/small.csv") lines)" || true
before=$(count_lines "$D")
"$BIN" audit anchor --data "$D" > "$T/anchor-before" 2>/dev/null

# 1. SIGKILL while the large import writes.
"$BIN" import budget --data "$D" "$T/large.csv" > "$T/large.log" 2>&1 &
importer=$!
killed=1
for _ in $(seq 1 1200); do
    if grep -q "budget: written" "$T/large.log"; then kill -9 "$importer"; killed=0; break; fi
    kill -0 "$importer" 2>/dev/null || break
    sleep 0.1
done
wait "$importer" 2>/dev/null
report $killed "(1) the import of $(($(wc -l < "$T/large.csv") - 1)) lines was killed with SIGKILL while writing"
after=$(count_lines "$D")
[ "$after" = "$before" ]; report $? "(1) the database holds the same $before budget lines as before (found $after)"
"$BIN" check --data "$D" > "$T/check1.log" 2>&1; report $? "(1) aimaq check passes after the kill: $(tail -1 "$T/check1.log")"
"$BIN" audit verify --data "$D" --anchor "$(cat "$T/anchor-before")" > "$T/verify1.log" 2>&1
report $? "(1) the audit log still reaches the anchor taken before the import"
serves "$D"; report $? "(1) aimaq serve starts on it and answers 200"

# 1b. SIGKILL of the server while a budget uploaded through its page is being written (its log
# says so).
admin=kill-admin-$$@test.kz
echo "a long test password 2026" | "$BIN" user add --data "$D" --email "$admin" --role administrator \
    --password-stdin > "$T/admin.log" 2>&1
port=$(free_port)
AIMAQ_SECOND_FACTOR=optional AIMAQ_LOG_LEVEL=notice "$BIN" serve --data "$D" --port "$port" > "$T/serve-kill.log" 2>&1 &
server=$!; pids+=("$server")
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.5; done
jar=$T/cookies
token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/signin" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
signed=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w "%{http_code}" --data-urlencode "_csrf=$token" \
    --data-urlencode "email=$admin" --data-urlencode "password=a long test password 2026" "http://127.0.0.1:$port/signin")
action=$(curl -s -b "$jar" "http://127.0.0.1:$port/admin/import-budget" | grep -o 'action="/admin/import-budget?_csrf=[^"]*"' \
    | head -1 | sed 's/^action="//;s/"$//;s/&amp;/\&/g')
curl -s -b "$jar" -F "file=@$T/large.csv;type=text/csv" -o "$T/upload-answer.html" "http://127.0.0.1:$port$action" &
upload=$!
killed=1
for _ in $(seq 1 2400); do
    if grep -q "budget import: written" "$T/serve-kill.log"; then kill -9 "$server"; killed=0; break; fi
    kill -0 "$server" 2>/dev/null || break
    sleep 0.05
done
[ "$killed" = 0 ] || kill "$server" 2>/dev/null
wait "$server" 2>/dev/null; wait "$upload" 2>/dev/null
[ "$signed" = 303 ] && [ -n "$action" ]; report $? "(1b) an administrator signed in and opened the import page (sign-in: $signed)"
report $killed "(1b) the server was killed with SIGKILL while writing the uploaded budget"
after=$(count_lines "$D")
[ "$after" = "$before" ]; report $? "(1b) the database holds the same $before budget lines as before (found $after)"
"$BIN" check --data "$D" > "$T/check1b.log" 2>&1; report $? "(1b) aimaq check passes after the kill: $(tail -1 "$T/check1b.log")"
serves "$D"; report $? "(1b) aimaq serve starts on it again and answers 200"

# 2. Backup while serving, restore into an empty folder, the same page.
port=$(free_port)
"$BIN" serve --data "$D" --port "$port" > "$T/serve-backup.log" 2>&1 &
server=$!; pids+=("$server")
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS -o "$T/original.html" "http://127.0.0.1:$port/territories/430000000"
"$BIN" backup --data "$D" "$T/aimaq.backup" > "$T/backup.log" 2>&1; report $? "(2) aimaq backup while the server runs: $(tail -1 "$T/backup.log")"
kill "$server"; wait "$server" 2>/dev/null
R=$T/restored
"$BIN" restore --data "$R" "$T/aimaq.backup" > "$T/restore-nokey.log" 2>&1
[ $? -ne 0 ] && grep -q "audit.key" "$T/restore-nokey.log"; report $? "(2) restore without the audit key is refused and says why"
rm -rf "$R"; mkdir -p "$R"; cp "$D/audit.key" "$R/"
"$BIN" restore --data "$R" "$T/aimaq.backup" > "$T/restore.log" 2>&1; report $? "(2) aimaq restore: $(tail -1 "$T/restore.log")"
serves "$R" && cmp -s "$LAST_PAGE" "$T/original.html"; report $? "(2) the restored copy serves the same territory page"

# 3. Damage: 4 KB overwritten in the middle of a copy.
X=$T/damaged; mkdir -p "$X"; cp "$D/aimaq.sqlite" "$D/audit.key" "$X/"
python3 - "$X/aimaq.sqlite" <<'PY'
import os, sys
path = sys.argv[1]
size = os.path.getsize(path)
with open(path, "r+b") as f:
    f.seek(size // 2 // 4096 * 4096)
    f.write(bytes((i * 131 + 7) % 256 for i in range(4096)))
PY
"$BIN" check --data "$X" > "$T/check-damaged.log" 2>&1
[ $? -ne 0 ] && grep -q "database:" "$T/check-damaged.log"; report $? "(3) aimaq check names the damage: $(grep -m1 'database:' "$T/check-damaged.log")"
"$BIN" serve --data "$X" --port "$(free_port)" > "$T/serve-damaged.log" 2>&1 &
damaged=$!; pids+=("$damaged")
for _ in $(seq 1 60); do kill -0 "$damaged" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$damaged" 2>/dev/null; then kill "$damaged"; report 1 "(3) aimaq serve refused the damaged file (it is still running)"
else grep -q "damaged" "$T/serve-damaged.log"; report $? "(3) aimaq serve refuses the damaged file: $(grep -m1 damaged "$T/serve-damaged.log" | cut -c1-160)"; fi

# 4. PostgreSQL: pg_dump and pg_restore through aimaq backup / restore.
if [ -n "$URL" ]; then
    # A database of its own (the shared one holds other tests' data and audit key).
    source_db="${URL%/*}/aimaq_kill_$$" target="${URL%/*}/aimaq_restore_$$"
    psql "$URL" -qc "CREATE DATABASE aimaq_kill_$$" >/dev/null 2>&1
    psql "$URL" -qc "CREATE DATABASE aimaq_restore_$$" >/dev/null 2>&1
    P=$T/pg; mkdir -p "$P"
    "$BIN" migrate --data "$P" --database-url "$source_db" > "$T/pg-migrate.log" 2>&1
    "$BIN" import budget --data "$P" --database-url "$source_db" "$T/small.csv" > "$T/pg-import.log" 2>&1
    "$BIN" backup --data "$P" --database-url "$source_db" "$T/pg.backup" > "$T/pg-backup.log" 2>&1; report $? "(4) aimaq backup on PostgreSQL: $(tail -1 "$T/pg-backup.log")"
    "$BIN" restore --data "$P" --database-url "$target" "$T/pg.backup" > "$T/pg-restore.log" 2>&1
    report $? "(4) aimaq restore into an empty PostgreSQL database: $(tail -1 "$T/pg-restore.log")"
    psql "$URL" -qc "DROP DATABASE IF EXISTS aimaq_restore_$$" >/dev/null 2>&1
    psql "$URL" -qc "DROP DATABASE IF EXISTS aimaq_kill_$$" >/dev/null 2>&1
fi

echo "kill-test: $passed passed, $failed failed"
[ "$failed" = 0 ]
