#!/bin/bash
# The server's own CPU per request for each page: wrk drives one page at a time and the
# server's utime + stime (from /proc) is divided by the requests it answered. Rendering
# afresh is measured with the server started with AIMAQ_PAGE_CACHE=off.
#
# Usage: Benchmarks/http/cpu_per_page.sh PORT SECONDS ROUNDS PATH...
#   AIMAQ_PAGE_CACHE=off aimaq serve --data /tmp/dnat --port 8091 &
#   Benchmarks/http/cpu_per_page.sh 8091 3 3 /instructions/1 /territories/430000000
# After a second of warm-up per page, prints a Markdown row per page (the median of the rounds,
# in ms of CPU per request) and, on standard error, every round.
set -euo pipefail
port=$1 seconds=$2 rounds=$3
shift 3
pid=$(pgrep -f "serve.*--port $port" | head -1)
[ -n "$pid" ] || { echo "no aimaq serve on port $port" >&2; exit 1; }
ticks=$(getconf CLK_TCK)
for path in "$@"; do
    results=()
    wrk -t2 -c64 -d1s "http://127.0.0.1:$port$path" > /dev/null  # warm-up, not counted
    for _ in $(seq "$rounds"); do
        before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        requests=$(wrk -t2 -c64 -d"${seconds}s" "http://127.0.0.1:$port$path" | awk '/requests in/ {print $1}')
        after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        results+=("$(awk -v t=$((after - before)) -v r="$requests" -v hz="$ticks" 'BEGIN {printf "%.2f", t * 1000 / hz / r}')")
    done
    median=$(printf '%s\n' "${results[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
    echo "$path: $median ms of CPU per request (rounds: ${results[*]})" >&2
    printf '| `%s` | %s |\n' "$path" "$median"
done
echo "cpu_per_page: ${#@} pages, $rounds rounds of ${seconds} s each" >&2
