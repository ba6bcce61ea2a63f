#!/usr/bin/env python3
"""Would more data get there? Learning curves of the default settings on fresh writers' text.

Trains the default model's settings (models/default.flags) on parts of datasets/stance_es.csv
and scores the 224 sentences of datasets/seed_sentences_3/5/6.csv (three writers who never read
the corpus; never trained or chosen on) as the share read right:
  - rows:    a random quarter, half, three quarters and all of the corpus (three draws each);
  - writers: k of the corpus's writing passes drawn at random (six draws each), beside a random
             sample of the same number of rows drawn across all passes, so that the two differ
             only in how many writers the rows come from;
  - vocabulary: the fresh sentences split by whether they hold a content word (five letters or
             more, not a listed actor's name) whose first six letters the corpus never saw.

Needs a release build (cargo build --release). Takes a few minutes: every point is a training
run of about a second and a predict run per actor.

    python3 benches/curves.py [--bin target/release/postura] [--only rows|writers|vocabulary]
"""

import argparse
import collections
import csv
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRESH = ["seed_sentences_3.csv", "seed_sentences_5.csv", "seed_sentences_6.csv"]


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def predict(binary, model, rows):
    """Labels for rows (with actor and aliases columns), one predict run per actor."""
    groups = collections.defaultdict(list)
    for i, r in enumerate(rows):
        groups[(r["actor"], r.get("aliases", ""))].append(i)
    labels = [None] * len(rows)
    for (actor, aliases), idx in groups.items():
        cmd = [binary, "predict", "--format", "jsonl", "--actor", actor]
        if model:
            cmd += ["-m", model]
        for a in aliases.split("|"):
            if a:
                cmd += ["--alias", a]
        cmd += [rows[i]["text"] for i in idx]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()
        if len(out) != len(idx):
            sys.exit(f"predict returned {len(out)} lines for {len(idx)} sentences")
        for i, line in zip(idx, out):
            labels[i] = json.loads(line)["label"]
    return labels


def share_right(binary, model, fresh):
    pred = predict(binary, model, fresh)
    return sum(p == r["label"] for p, r in zip(pred, fresh)) / len(fresh)


class Trainer:
    def __init__(self, binary, corpus, flags, tmp):
        self.binary, self.flags, self.tmp = binary, flags, Path(tmp)
        self.fields = list(corpus[0].keys())

    def train(self, rows):
        data, model = self.tmp / "train.csv", self.tmp / "m.postura"
        with open(data, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=self.fields)
            w.writeheader()
            w.writerows(rows)
        subprocess.run(
            [self.binary, "train", "-q", "--data", str(data), *self.flags, "-o", str(model)],
            check=True,
            cwd=ROOT,
        )
        return str(model)


def rows_curve(trainer, corpus, fresh, binary):
    print("rows: share of the corpus -> fresh sentences read right (mean of draws)")
    for frac in (0.25, 0.5, 0.75, 1.0):
        accs = []
        for rep in range(3 if frac < 1 else 1):
            rng = random.Random(100 + rep)
            sub = [r for r in corpus if rng.random() < frac] if frac < 1 else corpus
            accs.append(share_right(binary, trainer.train(sub), fresh))
        print(f"  {frac:.2f} (~{int(len(corpus) * frac)} rows): {statistics.mean(accs):.3f} "
              f"{[round(a, 3) for a in accs]}", flush=True)


def writers_curve(trainer, corpus, fresh, binary):
    passes = sorted({r["pass"] for r in corpus}, key=lambda p: (len(p), p))
    print(f"writers: k of {len(passes)} passes -> read right; same-size sample across all passes")
    for k in sorted({3, 6, 9, 12, len(passes)}):
        if k > len(passes):
            continue
        res = []
        for rep in range(6 if k < len(passes) else 1):
            rng = random.Random(200 + rep * 7 + k)
            chosen = set(rng.sample(passes, k))
            by_pass = [r for r in corpus if r["pass"] in chosen]
            matched = random.Random(300 + rep * 7 + k).sample(corpus, len(by_pass))
            res.append((len(by_pass), share_right(binary, trainer.train(by_pass), fresh),
                        share_right(binary, trainer.train(matched), fresh)))
        print(f"  k={k:2d} (~{statistics.mean(x[0] for x in res):.0f} rows): "
              f"by pass {statistics.mean(x[1] for x in res):.3f}, "
              f"same-size sample {statistics.mean(x[2] for x in res):.3f}", flush=True)


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFD", s.lower()) if unicodedata.category(c) != "Mn")


def words(s):
    return re.findall(r"\w+", fold(s))


def vocabulary(corpus, fresh, binary):
    seen = collections.Counter(w[:6] for r in corpus for w in words(r["text"]))
    names = set()
    for r in read_csv(ROOT / "datasets" / "actors.csv"):
        for v in r.values():
            names.update(w[:6] for w in words(v or ""))
    pred = predict(binary, None, fresh)
    tab = collections.defaultdict(lambda: [0, 0])
    for r, p in zip(fresh, pred):
        first = words(r["text"])[:1]
        unseen = [w for w in words(r["text"])
                  if len(w) >= 5 and not w.isdigit() and seen[w[:6]] == 0
                  and w[:6] not in names and w not in first]
        key = "with an unseen word" if unseen else "all words seen"
        tab[key][0] += p == r["label"]
        tab[key][1] += 1
    print("vocabulary (default model): fresh sentences read right")
    for key, (right, n) in sorted(tab.items()):
        print(f"  {key}: {right}/{n} = {right / n:.3f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "postura"))
    ap.add_argument("--only", choices=["rows", "writers", "vocabulary"])
    args = ap.parse_args()
    corpus = read_csv(ROOT / "datasets" / "stance_es.csv")
    fresh = [r for f in FRESH for r in read_csv(ROOT / "datasets" / f)]
    flags = (ROOT / "models" / "default.flags").read_text(encoding="utf-8").split()
    with tempfile.TemporaryDirectory() as tmp:
        trainer = Trainer(args.bin, corpus, flags, tmp)
        if args.only in (None, "rows"):
            rows_curve(trainer, corpus, fresh, args.bin)
        if args.only in (None, "writers"):
            writers_curve(trainer, corpus, fresh, args.bin)
        if args.only in (None, "vocabulary"):
            vocabulary(corpus, fresh, args.bin)


if __name__ == "__main__":
    main()
