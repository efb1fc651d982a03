"""Polis's own clustering, replayed in time order, against the groups Polis exported (issue 13).

The question this answers: can the groups in a Polis export's participants-votes.csv be
recomputed from its votes.csv at all? It replays each conversation as Polis's math worker
computed it (polismath's small-conversation update, read from its published source):

- votes applied in time order, one computation per window of votes (`--window` seconds);
- the rating matrix keeps a moderated-out statement as a column of zeros;
- principal components of every participant's votes (missing votes filled with the statement's
  mean) by power iteration, each computation starting from the previous components;
- positions scaled by the square root of statements over votes cast;
- participants clustered once they have voted on min(7, statements) statements, topped up to
  15 with the most active, and never dropped (`--minimum-votes 0` clusters everyone, as the 2017
  exports do);
- 100 base clusters by k-means, started from the previous computation's clusters: their members
  recentred on the new positions, then the most distant participant split off until there are
  enough (`clean-start-clusters`); a first computation starts from the first distinct points;
- for each group count from 2 to min(5, 2 + base clusters / 12), weighted k-means of the base
  clusters started the same way from that count's previous grouping;
- the count with the highest silhouette over the base clusters is the best, and a new best is
  shown after it has won 4 computations in a row.

It prints, for each conversation, the groups and the adjusted Rand index against Polis's
`group-id`, and their mean. Study code, not part of Aimaq; it needs numpy:

    python3 -m venv /tmp/pr && /tmp/pr/bin/pip install numpy
    /tmp/pr/bin/python Benchmarks/opinion-map/polis_replay.py ../shared/data/polis --window 600
"""
import argparse
import csv
import math
import os
import sys
import time
from collections import Counter

import numpy as np


def adjusted_rand_index(a, b):
    n = len(a)
    if n < 2:
        return 0.0
    pairs = lambda counts: sum(c * (c - 1) / 2 for c in counts.values())
    together, left, right = pairs(Counter(zip(a, b))), pairs(Counter(a)), pairs(Counter(b))
    expected = left * right / (n * (n - 1) / 2)
    largest = (left + right) / 2
    return 0.0 if largest == expected else (together - expected) / (largest - expected)


def load(folder):
    with open(os.path.join(folder, "votes.csv"), newline="") as f:
        votes = [(int(r["timestamp"]), int(r["voter-id"]), int(r["comment-id"]), int(float(r["vote"])))
                 for r in csv.DictReader(f)]
    votes.sort(key=lambda v: v[0])
    with open(os.path.join(folder, "comments.csv"), newline="") as f:
        moderated_out = {int(r["comment-id"]) for r in csv.DictReader(f) if r["moderated"] == "-1"}
    polis = {}
    with open(os.path.join(folder, "participants-votes.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if r["group-id"] != "":
                polis[int(r["participant"])] = int(r["group-id"])
    return votes, moderated_out, polis


def weighted_mean(points, weights):
    return (points * weights[:, None]).sum(0) / weights.sum()


def distances(points, centres):
    return np.sqrt(((points[:, None, :] - centres[None]) ** 2).sum(2))


def kmeans(points, names, k, last, weights, max_iterations):
    """Polis's k-means: clusters are dicts with id, members (names) and center."""
    weights = np.ones(len(names)) if weights is None else weights
    row = {name: i for i, name in enumerate(names)}

    def recentre(cluster):
        rows = np.array([row[m] for m in cluster["members"]])
        cluster["center"] = weighted_mean(points[rows], weights[rows])

    if last:
        clusters = []
        for old in last:  # members still present, recentred on the new positions
            members = [m for m in old["members"] if m in row]
            if members:
                clusters.append({"id": old["id"], "members": members})
                recentre(clusters[-1])
        unique = []
        for cluster in clusters:  # clusters on the same centre become one
            same = next((u for u in unique if np.array_equal(u["center"], cluster["center"])), None)
            if same is None:
                unique.append(cluster)
                continue
            sizes = len(same["members"]), len(cluster["members"])
            same["center"] = (same["center"] * sizes[0] + cluster["center"] * sizes[1]) / sum(sizes)
            same["id"] = same["id"] if sizes[0] >= sizes[1] else cluster["id"]
            same["members"] = same["members"] + cluster["members"]
        clusters = unique or [{"id": 0, "members": list(names)}]
        possible = min(k, len(np.unique(points, axis=0)))
        while True:
            for cluster in clusters:
                recentre(cluster)
            if possible <= len(clusters):
                break
            nearest = distances(points, np.array([c["center"] for c in clusters])).min(1)
            far = int(np.argmax(nearest))
            if nearest[far] <= 0:
                break
            for cluster in clusters:  # the most distant point becomes a cluster of its own
                cluster["members"] = [m for m in cluster["members"] if m != names[far]]
            clusters = [c for c in clusters if c["members"]]
            clusters.append({"id": max((c["id"] for c in clusters), default=-1) + 1, "members": [names[far]]})
    else:
        _, first = np.unique(points, axis=0, return_index=True)
        clusters = [{"id": i, "members": [], "center": points[j].copy()} for i, j in enumerate(sorted(first)[:k])]
    for iteration in range(max_iterations + 1):
        centres = np.array([c["center"] for c in clusters])
        nearest = distances(points, centres).argmin(1)
        stepped = []
        for index, cluster in enumerate(clusters):
            rows = np.nonzero(nearest == index)[0]
            if len(rows):
                stepped.append({"id": cluster["id"], "members": [names[i] for i in rows],
                                "center": weighted_mean(points[rows], weights[rows])})
        before = sorted(tuple(c["center"]) for c in clusters)
        after = sorted(tuple(c["center"]) for c in stepped)
        settled = len(before) == len(after) and all(math.dist(x, y) < 0.01 for x, y in zip(before, after))
        clusters = stepped
        if settled:
            break
    return sorted(clusters, key=lambda c: c["id"])


def silhouette(centres, index, groups):
    d = distances(centres, centres)
    values = []
    for group in groups:
        for member in group["members"]:
            own = [index[m] for m in group["members"] if m != member]
            if not own:
                values.append(0.0)
                continue
            a = d[index[member], own].mean()
            b = min(d[index[member], [index[m] for m in other["members"]]].mean() for other in groups if other is not group)
            values.append((b - a) / max(a, b) if max(a, b) > 0 else 0.0)
    return float(np.mean(values))


def power_iteration(data, start, iterations=100):
    vector = start / (np.linalg.norm(start) or 1)
    last = 0.0
    for _ in range(iterations + 1):
        product = data.T @ (data @ vector)
        value = np.linalg.norm(product)
        if value == 0:
            return product
        vector = product / value
        if value == last:
            break
        last = value
    return vector


class Conversation:
    def __init__(self, moderated_out, minimum_votes, seed):
        self.rows, self.columns, self.votes = {}, {}, {}
        self.moderated_out, self.minimum_votes = moderated_out, minimum_votes
        self.random = np.random.default_rng(seed)
        self.components, self.in_conversation, self.base = None, set(), None
        self.groupings, self.smoother, self.groups = {}, {}, {}

    def add(self, votes):
        for _, participant, statement, vote in votes:
            row = self.rows.setdefault(participant, len(self.rows))
            column = self.columns.setdefault(statement, len(self.columns))
            self.votes[(row, column)] = vote

    def compute(self):
        n, m = len(self.rows), len(self.columns)
        ratings = np.full((n, m), np.nan)
        for (r, c), v in self.votes.items():
            ratings[r, c] = v
        cast = (~np.isnan(ratings)).sum(1)
        for statement, column in self.columns.items():
            if statement in self.moderated_out:
                ratings[:, column] = 0.0
        threshold = min(self.minimum_votes, m)
        self.in_conversation.update(p for p, r in self.rows.items() if cast[r] >= threshold)
        if len(self.in_conversation) < 15:
            others = sorted((p for p in self.rows if p not in self.in_conversation), key=lambda p: -cast[self.rows[p]])
            self.in_conversation.update(others[:15 - len(self.in_conversation)])
        voted = ~np.isnan(ratings)
        means = np.array([ratings[voted[:, j], j].mean() if voted[:, j].any() else 0.0 for j in range(m)])
        filled = np.where(voted, ratings, means[None])
        centre = filled.mean(0)
        centred = filled - centre
        starts = []
        for i in range(2):
            previous = None if self.components is None else self.components[i]
            if previous is not None and np.any(previous != 0):
                starts.append(np.concatenate([previous, np.ones(m - len(previous))]))
            else:
                starts.append(self.random.random(m))
        first = power_iteration(centred, starts[0])
        rest = centred - np.outer(centred @ first, first) / (first @ first) if first @ first > 0 else centred
        second = power_iteration(rest, starts[1])
        self.components = [first, second]
        deviations = np.where(voted, ratings - centre[None], 0.0)
        positions = np.stack([deviations @ first, deviations @ second], 1)
        positions *= np.sqrt(m / np.maximum(voted.sum(1), 1))[:, None]
        clustered = [p for p in self.rows if p in self.in_conversation]
        self.base = kmeans(positions[[self.rows[p] for p in clustered]], clustered, 100, self.base, None, 100)
        ids = [c["id"] for c in self.base]
        centres = np.array([c["center"] for c in self.base])
        weights = np.array([len(c["members"]) for c in self.base], float)
        index = {b: i for i, b in enumerate(ids)}
        scores = {}
        for k in range(2, min(5, 2 + len(ids) // 12) + 1):
            if len(ids) >= k:
                self.groupings[k] = kmeans(centres, ids, k, self.groupings.get(k), weights, 20)
                scores[k] = silhouette(centres, index, self.groupings[k])
        if not scores:
            return
        best = max(scores.values())
        this = [k for k in scores if scores[k] == best][-1]
        run = self.smoother.get("run", 0) + 1 if self.smoother.get("last") == this else 1
        shown = this if run >= 4 else self.smoother.get("shown", this)
        self.smoother = {"last": this, "run": run, "shown": shown}
        grouping = self.groupings.get(shown)
        if grouping:
            group_of_base = {b: g for g, group in enumerate(grouping) for b in group["members"]}
            self.groups = {p: group_of_base[c["id"]] for c in self.base for p in c["members"]}


def replay(folder, window, minimum_votes, seed):
    votes, moderated_out, polis = load(folder)
    conversation = Conversation(moderated_out, minimum_votes, seed)
    batch, started, computations = [], None, 0
    for vote in votes:
        if started is not None and vote[0] - started > window * 1000:
            conversation.add(batch)
            conversation.compute()
            computations += 1
            batch, started = [], None
        if started is None:
            started = vote[0]
        batch.append(vote)
    conversation.add(batch)
    conversation.compute()
    computations += 1
    common = [p for p in polis if p in conversation.groups]
    ari = adjusted_rand_index([polis[p] for p in common], [conversation.groups[p] for p in common])
    return len(set(polis.values())), len(set(conversation.groups.values())), ari, computations


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="a folder holding one Polis export per folder")
    parser.add_argument("--window", type=float, default=600, help="seconds of votes between two computations")
    parser.add_argument("--minimum-votes", type=int, default=7, help="votes to be clustered (Polis: 7)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first starting vectors")
    args = parser.parse_args()
    names = sorted(d for d in os.listdir(args.folder) if os.path.isfile(os.path.join(args.folder, d, "votes.csv")))
    print(f"| conversation | computations | groups: Polis | replayed | ARI |")
    print("| --- | ---: | ---: | ---: | ---: |")
    total, matches, started = 0.0, 0, time.time()
    for number, name in enumerate(names, 1):
        print(f"polis replay: {number}/{len(names)} {name}", file=sys.stderr, flush=True)
        polis, ours, ari, computations = replay(os.path.join(args.folder, name), args.window, args.minimum_votes, args.seed)
        print(f"| {name} | {computations} | {polis} | {ours} | {ari:.3f} |", flush=True)
        total += ari
        matches += polis == ours
    print(f"| **mean** | | | {matches} of {len(names)} | **{total / len(names):.3f}** |")
    print(f"polis replay: {len(names)} conversations, window {args.window:g} s, minimum votes {args.minimum_votes}: "
          f"{matches} group counts as Polis, mean ARI {total / len(names):.3f} in {time.time() - started:.0f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
