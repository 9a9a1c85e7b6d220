#!/usr/bin/python3
"""Peer baseline for Sitrep's story clustering: scikit-learn TF-IDF + agglomerative clustering (average linkage,
cosine distance) on the FNC-1 bodies, scored with the same pairwise precision / recall / F1 and the same protocol:
for each seed the gold stories are split in two halves, the distance threshold is tuned on the first half and the
tuned value is applied to the held-out half and to all bodies. Batch (sees all documents at once), not streaming.

usage: cluster.py DATA_DIR [SEEDS]
"""
import csv
import sys
from collections import Counter

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer


def load(data_dir):
    with open(f"{data_dir}/train_bodies.csv", encoding="utf-8", newline="") as f:
        bodies = [(int(r["Body ID"]), r["articleBody"]) for r in csv.DictReader(f)]
    with open(f"{data_dir}/train_stances.csv", encoding="utf-8", newline="") as f:
        stances = [(r["Headline"], int(r["Body ID"]), r["Stance"]) for r in csv.DictReader(f)]
    index = {b: i for i, (b, _) in enumerate(bodies)}
    parent = list(range(len(bodies)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first = {}
    for h, b, s in stances:
        if s == "unrelated":
            continue
        i = index[b]
        if h in first:
            a, c = find(i), find(first[h])
            if a != c:
                parent[max(a, c)] = min(a, c)
        else:
            first[h] = i
    gold = [find(i) for i in range(len(bodies))]
    return [t for _, t in bodies], gold


def pairwise(gold, pred):
    def pairs(counter):
        return sum(n * (n - 1) // 2 for n in counter.values())
    tp = pairs(Counter(zip(gold, pred)))
    pp, gp = pairs(Counter(pred)), pairs(Counter(gold))
    p = tp / pp if pp else (1.0 if gp == 0 else 0.0)
    r = tp / gp if gp else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cluster(texts, threshold):
    x = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).toarray()
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold)
    return model.fit_predict(x)


def run(texts, gold, idx, threshold):
    pred = cluster([texts[i] for i in idx], threshold)
    return pairwise([gold[i] for i in idx], list(pred)), len(set(pred))


def main():
    data_dir = sys.argv[1]
    seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    texts, gold = load(data_dir)
    print(f"documents: {len(texts)}")
    print(f"gold stories: {len(set(gold))}")
    grid = [round(0.40 + 0.02 * i, 2) for i in range(28)]  # cosine distance 0.40 .. 0.94
    held, whole = [], []
    for seed in range(1, seeds + 1):
        rng = np.random.RandomState(seed)
        stories = sorted(set(gold))
        rng.shuffle(stories)
        dev = set(stories[: len(stories) // 2])
        order = np.arange(len(texts))
        rng.shuffle(order)
        dev_idx = [i for i in order if gold[i] in dev]
        test_idx = [i for i in order if gold[i] not in dev]
        best = max(grid, key=lambda t: run(texts, gold, dev_idx, t)[0][2])
        (dp, dr, df), _ = run(texts, gold, dev_idx, best)
        (hp, hr, hf), hn = run(texts, gold, test_idx, best)
        (ap, ar, af), an = run(texts, gold, list(order), best)
        held.append((hp, hr, hf))
        whole.append((ap, ar, af))
        print(f"seed {seed}: tuned distance threshold {best:.2f}; dev F1 {df:.4f}; held-out P {hp:.4f} R {hr:.4f} F1 {hf:.4f} ({hn} clusters); "
              f"all P {ap:.4f} R {ar:.4f} F1 {af:.4f} ({an} clusters)")
    m = lambda rows, k: sum(r[k] for r in rows) / len(rows)
    print(f"held-out precision: {m(held, 0):.4f}")
    print(f"held-out recall: {m(held, 1):.4f}")
    print(f"held-out f1: {m(held, 2):.4f} (range {min(r[2] for r in held):.4f}..{max(r[2] for r in held):.4f})")
    print(f"all precision: {m(whole, 0):.4f}")
    print(f"all recall: {m(whole, 1):.4f}")
    print(f"all f1: {m(whole, 2):.4f} (range {min(r[2] for r in whole):.4f}..{max(r[2] for r in whole):.4f})")


if __name__ == "__main__":
    main()
