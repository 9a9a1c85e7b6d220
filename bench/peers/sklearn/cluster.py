#!/usr/bin/python3
"""Peer baseline for Sitrep's story clustering: scikit-learn TF-IDF + agglomerative clustering (average linkage,
cosine distance) on the FNC-1 bodies, scored with the same pairwise precision / recall / F1 and the same protocol:
for each seed the gold stories are split in two halves, the distance threshold is tuned on the first half and the
tuned value is applied to the held-out half and to all bodies. The split and the document order are the ones Sitrep
uses (src/Sitrep/Stories/ClusteringSplit.cs: SplitMix64 + Fisher-Yates over the stories in order of their first body,
first half = tuning half; then the body indices shuffled by the same generator), so both systems see the same halves.
Batch (sees all documents at once), not streaming.

usage: cluster.py DATA_DIR [SEEDS]        training folder: tune on half the stories per seed
       cluster.py DATA_DIR --fixed D       all bodies at cosine distance threshold D, no tuning (what a held-out folder
                                           with test_*.csv files gets; D is chosen on the training folder)
       cluster.py CORPUS_DIR [--fixed D]   a story corpus (articles.jsonl + txt/<id>.txt, e.g. shared/data/stories/ecbplus):
                                           the texts Sitrep reads (txt/), two-fold cross-validation over topics as
                                           `sitrep eval clustering --cv` does it (topics sorted by number, dealt
                                           alternately; the threshold tuned on one half, scored on the other), then all
                                           articles at distance D (default 0.84, the threshold tuned on FNC-1 train)
"""
import json
import os
import csv
import sys
from collections import Counter

from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer


def load(data_dir):
    prefix = next((p for p in ("train_", "test_", "competition_test_") if os.path.exists(f"{data_dir}/{p}bodies.csv")), "train_")
    with open(f"{data_dir}/{prefix}bodies.csv", encoding="utf-8", newline="") as f:
        bodies = [(int(r["Body ID"]), r["articleBody"]) for r in csv.DictReader(f)]
    with open(f"{data_dir}/{prefix}stances.csv", encoding="utf-8", newline="") as f:
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


MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def shuffle(self, a):
        for i in range(len(a) - 1, 0, -1):
            j = self.next() % (i + 1)
            a[i], a[j] = a[j], a[i]


def split(gold, seed):
    """The same split as Sitrep's ClusteringSplit.Make: (tuning-half story set, document order)."""
    first = {}
    for i, g in enumerate(gold):
        first.setdefault(g, i)
    stories = sorted(first, key=lambda g: first[g])
    rng = SplitMix64(seed)
    rng.shuffle(stories)
    dev = set(stories[: len(stories) // 2])
    order = list(range(len(gold)))
    rng.shuffle(order)
    return dev, order


def pairwise(gold, pred):
    def pairs(counter):
        return sum(n * (n - 1) // 2 for n in counter.values())
    tp = pairs(Counter(zip(gold, pred)))
    pp, gp = pairs(Counter(pred)), pairs(Counter(gold))
    p = tp / pp if pp else (1.0 if gp == 0 else 0.0)
    r = tp / gp if gp else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def tree(texts):
    """The full average-link tree (cosine distance) over the TF-IDF vectors of the texts: (children, distances)."""
    x = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).toarray()
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=0.0,
                                    compute_full_tree=True).fit(x)
    return model.children_, model.distances_


def cut(n, children, distances, threshold):
    """Clusters at a distance threshold: the tree's merges below it (what AgglomerativeClustering(distance_threshold=
    threshold) returns; average linkage is monotone), computed once per subset instead of once per threshold."""
    parent = list(range(2 * n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k, ((a, b), d) in enumerate(zip(children, distances)):
        if d >= threshold:
            break
        parent[find(a)] = n + k
        parent[find(b)] = n + k
    return [find(i) for i in range(n)]


class Subset:
    def __init__(self, texts, gold, idx):
        self.gold = [gold[i] for i in idx]
        self.n = len(idx)
        self.children, self.distances = tree([texts[i] for i in idx])

    def run(self, threshold):
        pred = cut(self.n, self.children, self.distances, threshold)
        return pairwise(self.gold, pred), len(set(pred))


def load_corpus(data_dir):
    texts, gold, topics = [], [], []
    with open(f"{data_dir}/articles.jsonl", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            o = json.loads(line)
            with open(f"{data_dir}/txt/{o['id']}.txt", encoding="utf-8") as t:
                texts.append(t.read())
            gold.append(o["story"])
            topics.append(str(o.get("topic") or o["story"]))
    return texts, gold, topics


def corpus_main(data_dir):
    texts, gold, topics = load_corpus(data_dir)
    fixed = float(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--fixed" else 0.84
    print(f"documents: {len(texts)}")
    print(f"gold stories: {len(set(gold))}")
    order = sorted(set(topics), key=lambda t: (int(t) if t.isdigit() else 1 << 30, t))
    folds = [order[0::2], order[1::2]]
    grid = [round(0.40 + 0.02 * i, 2) for i in range(28)]
    held = []
    for k, held_topics in enumerate(folds):
        tune_idx = [i for i in range(len(texts)) if topics[i] not in held_topics]
        held_idx = [i for i in range(len(texts)) if topics[i] in held_topics]
        tune = Subset(texts, gold, tune_idx)
        best = max(grid, key=lambda t: tune.run(t)[0][2])
        (hp, hr, hf), hn = Subset(texts, gold, held_idx).run(best)
        held.append(hf)
        print(f"fold {k + 1}: tuned distance threshold {best:.2f} (tune F1 {tune.run(best)[0][2]:.4f}); held-out topics "
              f"{','.join(held_topics)}: P {hp:.4f} R {hr:.4f} F1 {hf:.4f} ({hn} clusters)")
    print(f"held-out f1 (mean of folds): {sum(held) / len(held):.4f}")
    (p, r, f), n = Subset(texts, gold, list(range(len(texts)))).run(fixed)
    print(f"distance threshold: {fixed:.2f} (fixed); {n} clusters")
    print(f"all precision: {p:.4f}")
    print(f"all recall: {r:.4f}")
    print(f"all f1: {f:.4f}")


def main():
    data_dir = sys.argv[1]
    if os.path.exists(f"{data_dir}/articles.jsonl"):
        corpus_main(data_dir)
        return
    texts, gold = load(data_dir)
    print(f"documents: {len(texts)}")
    print(f"gold stories: {len(set(gold))}")
    if len(sys.argv) > 3 and sys.argv[2] == "--fixed":
        threshold = float(sys.argv[3])
        (p, r, f), n = Subset(texts, gold, list(range(len(texts)))).run(threshold)
        print(f"distance threshold: {threshold:.2f} (fixed); {n} clusters")
        print(f"all precision: {p:.4f}")
        print(f"all recall: {r:.4f}")
        print(f"all f1: {f:.4f}")
        return
    seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    grid = [round(0.40 + 0.02 * i, 2) for i in range(28)]  # cosine distance 0.40 .. 0.94
    held, whole = [], []
    for seed in range(1, seeds + 1):
        dev, order = split(gold, seed)
        dev_idx = [i for i in order if gold[i] in dev]
        test_idx = [i for i in order if gold[i] not in dev]
        dev_set = Subset(texts, gold, dev_idx)
        best = max(grid, key=lambda t: dev_set.run(t)[0][2])
        (dp, dr, df), _ = dev_set.run(best)
        (hp, hr, hf), hn = Subset(texts, gold, test_idx).run(best)
        (ap, ar, af), an = Subset(texts, gold, order).run(best)
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
