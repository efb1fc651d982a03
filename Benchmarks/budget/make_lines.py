"""Writes a national budget-lines file for the import benchmark: every budget of the bundled
KATO tree (regions, districts, rural districts), monthly, over several years and revenue codes,
until the asked number of lines. Deterministic.

Usage: python3 Benchmarks/budget/make_lines.py --lines 2000000 --out /tmp/budget-2m.csv
"""
import argparse
import csv
import os
import random

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "Sources", "AimaqServer", "Resources", "Data")


def budgets():
    with open(os.path.join(ROOT, "kato.csv"), encoding="utf-8-sig") as f:
        rows = list(csv.reader(f, delimiter=";"))[1:]
    codes = [r[2] for r in rows if len(r) > 2 and len(r[2]) == 9]
    # Regions, districts and rural districts (the last three digits zero) keep budgets.
    return [c for c in codes if c.endswith("000")]


def revenue_codes():
    with open(os.path.join(ROOT, "budget", "revenue-codes.csv"), encoding="utf-8") as f:
        return [r["code"] for r in csv.DictReader(f) if r["level"] == "specific"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    random.seed(7)
    territories, codes = budgets(), revenue_codes()
    written = 0
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("kind,territory,year,month,code,approved,adjusted,executed\n")
        for year in range(2020, 2031):
            for code in codes:
                for territory in territories:
                    for month in range(1, 13):
                        plan = random.randint(1_000, 50_000_000)
                        out.write(f"revenue,{territory},{year},{month},{code},{plan},0,{plan - random.randint(0, plan // 10)}\n")
                        written += 1
                        if written == args.lines:
                            print(f"wrote {written} lines to {args.out}")
                            return
    print(f"wrote {written} lines to {args.out} (all combinations)")


if __name__ == "__main__":
    main()
