#!/usr/bin/env bash
# The opinion-map benchmark: aimaq (release build) and red-dwarf 0.4.0 side by side, on the same
# generated conversation with planted groups, then a comparison of the medians.
#
# Usage: Benchmarks/opinion-map/run.sh
# Environment (all optional):
#   RUNS=3                 runs of each side (medians are reported)
#   PARTICIPANTS=20000 STATEMENTS=1000 DENSITY=0.4 PLANTED_GROUPS=3 SEED=1   the full-run data set
#   UPDATE_PARTICIPANTS=10000 UPDATE_STATEMENTS=500 UPDATES=21        the one-new-vote update run
#   AIMAQ=.build/release/aimaq   the binary to measure (built with `swift build -c release` if missing)
#   PYTHON=.venv-bench/bin/python   a Python with red-dwarf 0.4.0 (the venv is created if missing)
#   KEEP=1                 keep the exported data set and the raw JSON lines (printed path)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/Benchmarks/opinion-map"
RUNS=${RUNS:-3}
PARTICIPANTS=${PARTICIPANTS:-20000}
STATEMENTS=${STATEMENTS:-1000}
DENSITY=${DENSITY:-0.4}
PLANTED_GROUPS=${PLANTED_GROUPS:-3}
SEED=${SEED:-1}
UPDATE_PARTICIPANTS=${UPDATE_PARTICIPANTS:-10000}
UPDATE_STATEMENTS=${UPDATE_STATEMENTS:-500}
UPDATES=${UPDATES:-21}
AIMAQ=${AIMAQ:-$root/.build/release/aimaq}
PYTHON=${PYTHON:-$root/.venv-bench/bin/python}

if [ ! -x "$AIMAQ" ]; then
    echo "building aimaq (release)…" >&2
    (cd "$root" && swift build -c release --product aimaq)
fi
if [ ! -x "$PYTHON" ]; then
    echo "creating $root/.venv-bench with red-dwarf 0.4.0…" >&2
    python3 -m venv "$root/.venv-bench"
    "$root/.venv-bench/bin/pip" install --quiet red-dwarf==0.4.0
    PYTHON="$root/.venv-bench/bin/python"
fi

work=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then echo "keeping $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
sizes=(--participants "$PARTICIPANTS" --statements "$STATEMENTS" --density "$DENSITY" --groups "$PLANTED_GROUPS" --seed "$SEED")

echo "== exporting the data set (this run is a warm-up and is not counted)" >&2
"$AIMAQ" bench opinion-map "${sizes[@]}" --updates 0 --export "$work/data" > /dev/null

for run in $(seq "$RUNS"); do
    echo "== aimaq, run $run of $RUNS" >&2
    "$AIMAQ" bench opinion-map "${sizes[@]}" --updates 0 >> "$work/aimaq.jsonl"
done
for run in $(seq "$RUNS"); do
    echo "== aimaq update, run $run of $RUNS" >&2
    "$AIMAQ" bench opinion-map --participants "$UPDATE_PARTICIPANTS" --statements "$UPDATE_STATEMENTS" \
        --density "$DENSITY" --groups "$PLANTED_GROUPS" --seed "$SEED" --updates "$UPDATES" >> "$work/update.jsonl"
done
for run in $(seq "$RUNS"); do
    echo "== red-dwarf, run $run of $RUNS" >&2
    "$PYTHON" "$here/reddwarf_bench.py" "$work/data" --seed "$SEED" >> "$work/reddwarf.jsonl"
done

python3 - "$work" <<'PYTHON'
import json, statistics, sys
work = sys.argv[1]
def lines(name):
    with open(f"{work}/{name}") as file:
        return [json.loads(line) for line in file if line.strip()]
ours, updates, theirs = lines("aimaq.jsonl"), lines("update.jsonl"), lines("reddwarf.jsonl")
median = statistics.median
first = ours[0]
print(f"data set: {first['participants']} participants x {first['statements']} statements, density "
      f"{first['density']}, {first['votes']} votes, {first['plantedGroups']} planted groups, seed {first['seed']}")
print(f"runs per side: {len(ours)} (medians)")
print()
our_total = median(r["seconds"]["total"] for r in ours)
their_total = median(r["seconds"]["pipeline"] for r in theirs)
our_memory = median(r["peakMemoryMiB"] for r in ours)
their_memory = median(r["peakMemoryMiB"] for r in theirs)
print(f"{'':34}{'aimaq':>12}{'red-dwarf':>12}{'ratio':>10}")
print(f"{'pipeline seconds':34}{our_total:>12.3f}{their_total:>12.2f}{their_total / our_total:>9.0f}x")
print(f"{'peak memory MiB':34}{our_memory:>12.0f}{their_memory:>12.0f}{their_memory / our_memory:>9.1f}x")
print(f"{'groups found':34}{median(r['groupsFound'] for r in ours):>12.0f}{median(r['groupsFound'] for r in theirs):>12.0f}")
print(f"{'adjusted Rand index vs planted':34}{median(r['adjustedRandIndex'] for r in ours):>12.3f}"
      f"{median(r['adjustedRandIndex'] for r in theirs):>12.3f}")
print()
phases = ["matrix", "selection", "principalComponents", "projection", "baseClusters", "groups", "statistics"]
print("aimaq phases (median seconds): " + ", ".join(f"{p} {median(r['seconds'][p] for r in ours):.3f}" for p in phases))
print(f"aimaq power iterations: {median(r['powerIterations'] for r in ours):.0f}")
print(f"red-dwarf CSV read (not counted): {median(r['seconds']['read'] for r in theirs):.1f} s, "
      f"import {median(r['seconds']['import'] for r in theirs):.1f} s")
u = updates[0]
print()
print(f"update after one new vote on {u['participants']} x {u['statements']} ({u['votes']} votes): median "
      f"{median(r['update']['medianSeconds'] for r in updates) * 1000:.1f} ms, worst "
      f"{max(r['update']['maximumSeconds'] for r in updates) * 1000:.1f} ms over {len(updates)} x "
      f"{u['update']['count']} updates; full run {median(r['seconds']['total'] for r in updates):.3f} s")
PYTHON
