#!/usr/bin/env python3
"""Run red-dwarf's Polis pipeline on a Polis export folder and print one JSON line.

Usage: reddwarf_bench.py DIR [--seed N]

DIR holds votes.csv and comments.csv (as written by `aimaq bench opinion-map --export DIR`, or a
real Polis export). The vote history is reduced to the latest vote per participant and statement
(red-dwarf needs unique pairs), then `reddwarf.implementations.polis.run_pipeline` runs with the
moderated-out statements removed. Reported: seconds to read the CSV files, seconds of the pipeline
(red-dwarf builds its own vote matrix inside it), peak resident memory of the process, groups found,
and, when DIR has a participants-votes.csv with a group-id column, the adjusted Rand index against it.

Install red-dwarf into a virtual environment first, e.g.
    python3 -m venv .venv-bench && .venv-bench/bin/pip install red-dwarf==0.4.0
"""

import argparse
import csv
import json
import resource
import sys
import time
import warnings


def peak_memory_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_votes(path: str) -> list[dict]:
    """The latest vote per (participant, statement), in red-dwarf's input format."""
    import pandas

    frame = pandas.read_csv(path, usecols=["timestamp", "comment-id", "voter-id", "vote"])
    frame = frame.sort_values("timestamp", kind="stable")
    frame = frame.drop_duplicates(["voter-id", "comment-id"], keep="last")
    return [
        {"participant_id": participant, "statement_id": statement, "vote": vote, "modified": stamp}
        for participant, statement, vote, stamp in zip(
            frame["voter-id"].tolist(), frame["comment-id"].tolist(),
            frame["vote"].tolist(), frame["timestamp"].tolist())
    ]


def read_moderated_out(path: str) -> list[int]:
    with open(path, newline="") as file:
        return [int(row["comment-id"]) for row in csv.DictReader(file) if int(row["moderated"]) == -1]


def read_reference_groups(path: str) -> dict[int, int]:
    try:
        with open(path, newline="") as file:
            return {
                int(row["participant"]): int(row["group-id"])
                for row in csv.DictReader(file)
                if row.get("group-id", "").strip() != ""
            }
    except FileNotFoundError:
        return {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    start = time.perf_counter()
    warnings.filterwarnings("ignore")
    from reddwarf.implementations.polis import run_pipeline
    from sklearn.metrics import adjusted_rand_score
    import_seconds = time.perf_counter() - start

    start = time.perf_counter()
    votes = read_votes(f"{args.directory}/votes.csv")
    moderated_out = read_moderated_out(f"{args.directory}/comments.csv")
    reference = read_reference_groups(f"{args.directory}/participants-votes.csv")
    read_seconds = time.perf_counter() - start
    print(f"red-dwarf: {len(votes)} votes read in {read_seconds:.1f} s; running the pipeline", file=sys.stderr)

    start = time.perf_counter()
    result = run_pipeline(votes=votes, mod_out_statement_ids=moderated_out, random_state=args.seed)
    pipeline_seconds = time.perf_counter() - start

    clustered = result.participants_df[result.participants_df["cluster_id"].notna()]
    found = {int(participant): int(group) for participant, group in clustered["cluster_id"].items()}
    common = [participant for participant in found if participant in reference]
    agreement = (
        adjusted_rand_score([reference[p] for p in common], [found[p] for p in common]) if common else None
    )
    print(json.dumps({
        "implementation": "red-dwarf 0.4.0",
        "votes": len(votes),
        "participants": int(result.participants_df.shape[0]),
        "statements": int(result.raw_vote_matrix.shape[1]),
        "seconds": {"import": import_seconds, "read": read_seconds, "pipeline": pipeline_seconds},
        "peakMemoryMiB": peak_memory_mib(),
        "groupsFound": len(set(found.values())),
        "adjustedRandIndex": agreement,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
