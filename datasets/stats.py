#!/usr/bin/env python3
"""Counts of datasets/stance_es.csv per label and per actor type, as Markdown for datasets/README.md.

Each row's actor string is mapped to a canonical actor of datasets/actors.csv when it equals the
actor's name or one of its aliases (case- and accent-insensitive, leading article ignored); other
strings (roles such as "el mandatario") count as "role or other".
"""
import collections
import csv
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent


def key(s):
    s = unicodedata.normalize("NFD", s.lower())
    s = "".join(c for c in s if unicodedata.category(c) != "Mn").strip()
    for art in ("el ", "la ", "los ", "las "):
        if s.startswith(art):
            s = s[len(art):]
    return s


def main():
    actors = {}
    for row in csv.DictReader(open(HERE / "actors.csv", encoding="utf-8")):
        for name in [row["actor"], *filter(None, row["aliases"].split("|"))]:
            actors.setdefault(key(name), (row["actor"], row["type"]))
    rows = list(csv.DictReader(open(HERE / "stance_es.csv", encoding="utf-8")))
    labels = collections.Counter(r["label"] for r in rows)
    by_type = collections.defaultdict(collections.Counter)
    canon = collections.defaultdict(collections.Counter)
    for r in rows:
        name, typ = actors.get(key(r["actor"]), (None, "role or other"))
        by_type[typ][r["label"]] += 1
        if name:
            canon[name][r["label"]] += 1
    order = ["supportive", "neutral", "distancing"]
    print(f"{len(rows)} rows, {len(set((r['actor']) for r in rows))} distinct actor strings, "
          f"{len(canon)} canonical actors of actors.csv matched.\n")
    print("| label | rows | share |\n|---|---|---|")
    for l in order:
        print(f"| {l} | {labels[l]} | {labels[l] / len(rows):.1%} |")
    print("\n| actor type | rows | supportive | neutral | distancing |\n|---|---|---|---|---|")
    for typ in sorted(by_type):
        c = by_type[typ]
        print(f"| {typ} | {sum(c.values())} | " + " | ".join(str(c[l]) for l in order) + " |")
    single = [n for n, c in canon.items() if sum(1 for l in order if c[l]) < 2]
    print(f"\nCanonical actors seen under only one label: {len(single)}" + (f" ({', '.join(single)})" if single else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
