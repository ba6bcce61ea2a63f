#!/usr/bin/env python3
"""k-fold cross-validation of postura and the scikit-learn peers on the same folds of train.

    cv.sh [--folds K] [--corpora cic-es headlines] [--systems ...]

Dev scores of a few hundred rows move by ±0.01–0.02 on their own; cross-validation on train
averages over every training row, so it tells a real difference from a lucky draw. Both sides
see exactly the same folds: cic-es is split stratified by label (shuffled, seed 0), headlines by
headline (all rows of a headline in one fold, so no headline is in train and test at once).
postura runs as `postura train` + `postura eval --format json` on fold files written to a
temporary directory; the scikit-learn pipelines are peer.py's, fitted in this process. The dev
and test files are never read.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import compare  # noqa: E402  (data_dir, postura_bin, corpus flags)
import peer  # noqa: E402

SK_SYSTEMS = ["sklearn-lr-c1", "sklearn-lr-c10", "sklearn-svm-c1"]


def folds_of(corpus: str, rows: list[dict], k: int) -> list[list[int]]:
    """Row indices of each test fold."""
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    labels = [r["label"] for r in rows]
    idx = list(range(len(rows)))
    if corpus == "headlines":
        splits = GroupKFold(n_splits=k).split(idx, labels, [r["id"] for r in rows])
    else:
        splits = StratifiedKFold(n_splits=k, shuffle=True, random_state=0).split(idx, labels)
    return [list(test) for _, test in splits]


def write_fold(corpus: str, src: Path, keep: set[int], out: Path) -> None:
    """The rows of `src` whose index is in `keep`, in the source's own format."""
    if corpus == "cic-es":
        # Tab-separated without quoting: copy the raw lines (header first, blank lines skipped).
        with open(src, encoding="utf-8", newline="") as f:
            lines = [line for line in f.read().split("\n") if line]
        body = [line for i, line in enumerate(lines[1:]) if i in keep]
        out.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    else:
        with open(src, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            fields = reader.fieldnames or []
            records = [r for i, r in enumerate(reader) if i in keep]
        with open(out, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            w.writerows(records)


def postura_fold(corpus: str, train: Path, test: Path, model: Path, extra: list[str]) -> float:
    bin_ = str(compare.postura_bin())
    flags = compare.POSTURA_TRAIN_FLAGS[corpus]
    subprocess.run([bin_, "train", "-q", "--data", str(train), *flags, *extra, "-o", str(model)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ev = subprocess.run([bin_, "eval", "--model", str(model), "--data", str(test), *flags, "--format", "json"],
                        check=True, capture_output=True, text=True)
    return float(json.loads(ev.stdout)["macro_f1"])


def sklearn_fold(system: str, texts: list[str], labels: list[str], train: list[int], test: list[int]) -> float:
    from sklearn.metrics import f1_score

    model = peer.sklearn_pipeline(system)
    model.fit([texts[i] for i in train], [labels[i] for i in train])
    pred = model.predict([texts[i] for i in test])
    return float(f1_score([labels[i] for i in test], pred, average="macro"))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--corpora", nargs="+", default=list(compare.CORPUS_FILES))
    ap.add_argument("--systems", nargs="+", default=["postura", *SK_SYSTEMS])
    ap.add_argument("--postura-flags", default="", help="extra `postura train` flags, one string")
    args = ap.parse_args(argv)
    data = compare.data_dir()
    if not data.is_dir():
        print(f"cv.py: data directory {data} not found (set POSTURA_DATA); nothing to compare")
        return 0
    print(f"## {args.folds}-fold cross-validation on train (same folds for every system)\n")
    print("| corpus | system | macro-F1 mean | sd | per fold |")
    print("| --- | --- | ---: | ---: | --- |")
    for corpus in args.corpora:
        src = data / compare.CORPUS_FILES[corpus][0]
        rows = peer.read_rows(corpus, str(src))
        texts = peer.peer_texts(corpus, rows)
        labels = [r["label"] for r in rows]
        tests = folds_of(corpus, rows, args.folds)
        for system in args.systems:
            scores = []
            with tempfile.TemporaryDirectory(prefix="postura-cv-") as tmp:
                for f, test in enumerate(tests):
                    held = set(test)
                    train = [i for i in range(len(rows)) if i not in held]
                    if system == "postura":
                        suffix = src.suffix
                        tr, te = Path(tmp) / f"train{f}{suffix}", Path(tmp) / f"test{f}{suffix}"
                        write_fold(corpus, src, set(train), tr)
                        write_fold(corpus, src, held, te)
                        scores.append(postura_fold(corpus, tr, te, Path(tmp) / f"m{f}.postura",
                                                   args.postura_flags.split()))
                    else:
                        scores.append(sklearn_fold(system, texts, labels, train, test))
            name = "postura" + (f" {args.postura_flags}" if system == "postura" and args.postura_flags else "")
            per = " ".join(f"{s:.3f}" for s in scores)
            print(f"| {corpus} | {name if system == 'postura' else peer.SYSTEMS.get(system, system)} "
                  f"| {statistics.mean(scores):.4f} | {statistics.stdev(scores):.4f} | {per} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
