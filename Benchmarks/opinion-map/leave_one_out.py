"""Leave-one-out check of the opinion map's group-count parameters (issue 13).

For every point of a grid (the silhouette margin of a larger group count, and the minutes of
votes between two computations when a conversation is replayed in time order), runs
`aimaq opinion-map --compare-all DIR` once. Then, for each conversation in turn, chooses the
grid point that does best on the other conversations (most group counts equal to Polis's,
then the highest mean ARI) and reports how that choice does on the one left out.

Usage: python3 Benchmarks/opinion-map/leave_one_out.py DIR [--binary .build-release/release/aimaq]
Python 3 standard library only. Prints progress to standard error and a Markdown table.
"""
import argparse
import itertools
import subprocess
import sys

MARGINS = [0.0, 0.01, 0.02, 0.04, 0.06, 0.08]
WINDOWS = [10, 60, 1440]


def run(binary, folder, margin, window):
    out = subprocess.run([binary, "opinion-map", "--compare-all", folder, "--replay-minutes", str(window),
                          "--group-count-margin", str(margin)], capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != 7 or not cells[1].isdigit():
            continue
        name, polis, alone, alone_ari, replay, replay_ari, _ = cells
        rows[name] = {"polis": int(polis), "alone": (int(alone), float(alone_ari)),
                      "replay": (int(replay), float(replay_ari))}
    return rows


def score(results, names, mode):
    matches = sum(results[n][mode][0] == results[n]["polis"] for n in names)
    mean = sum(results[n][mode][1] for n in names) / len(names)
    return matches, mean


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--binary", default=".build-release/release/aimaq")
    args = parser.parse_args()
    grid = {}
    for margin, window in itertools.product(MARGINS, WINDOWS):
        print(f"leave-one-out: margin {margin}, replay every {window} min", file=sys.stderr, flush=True)
        grid[(margin, window)] = run(args.binary, args.folder, margin, window)
    names = sorted(next(iter(grid.values())).keys())
    print("| left out | mode | chosen on the other six | groups (Polis) | ARI |")
    print("| --- | --- | --- | ---: | ---: |")
    totals = {}
    for mode in ("alone", "replay"):
        held = []
        for name in names:
            others = [n for n in names if n != name]
            # An alone map does not depend on the replay window: choose among margins only.
            points = [p for p in grid if mode == "replay" or p[1] == WINDOWS[0]]
            best = max(points, key=lambda p: (score(grid[p], others, mode), -p[0], p[1]))
            groups, ari = grid[best][name][mode]
            polis = grid[best][name]["polis"]
            held.append((groups == polis, ari))
            chosen = f"margin {best[0]}" + (f", every {best[1]} min" if mode == "replay" else "")
            print(f"| {name} | {mode} | {chosen} | {groups} ({polis}) | {ari:.2f} |")
        totals[mode] = (sum(m for m, _ in held), sum(a for _, a in held) / len(held))
    for mode, (matches, mean) in totals.items():
        print(f"| **held out, {mode}** | | | {matches} of {len(names)} | {mean:.2f} |")
    summary = "; ".join(f"{mode}: {m} of {len(names)} group counts as Polis, mean ARI {a:.2f}" for mode, (m, a) in totals.items())
    print(f"leave-one-out over {len(names)} conversations and {len(grid)} grid points: {summary}", file=sys.stderr)


if __name__ == "__main__":
    main()
