#!/usr/bin/env python3
"""postura in Python against a scikit-learn pipeline, in one process, on cic-es.

    python benches/python_speed.py [--data DIR] [--repeats N]

Two comparisons, each the median of N runs (after one warm-up run):

  predict: a fitted postura model's ``predict_proba`` on cic-es dev against a fitted (and
           joblib-loaded) scikit-learn pipeline's ``predict_proba`` — TF-IDF word 1-2 +
           char_wb 2-5 in a FeatureUnion, LogisticRegression — on the same texts;
  fit:     ``PosturaClassifier().fit`` on cic-es train against that pipeline's ``fit``.

Both systems read the same raw tweets; neither's time includes reading the files. Prints one
table and a JSON line with every number. Bars (issue 16): predict >= 20x, fit >= 10x.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.pipeline import FeatureUnion, Pipeline

import postura
from postura.sklearn import PosturaClassifier


def read_cic(path: Path) -> tuple[list[str], list[str]]:
    """cic-es TSV: columns TWEET and LABEL, no quote processing."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        ti, li = header.index("TWEET"), header.index("LABEL")
        rows = [r for r in reader if len(r) > max(ti, li)]
    return [r[ti] for r in rows], [r[li] for r in rows]


def sklearn_pipeline() -> Pipeline:
    """The peer of benches/peers (sklearn-lr-c10): the same settings, never tuned here."""
    common = dict(sublinear_tf=True, strip_accents="unicode", lowercase=True)
    features = FeatureUnion(
        [
            ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), **common)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common)),
        ]
    )
    return Pipeline([("features", features), ("clf", LogisticRegression(C=10.0, max_iter=2000))])


def median_seconds(fn, repeats: int) -> tuple[float, float, list[float], object]:
    """Median wall time and median CPU time (all the process's threads) of fn() over `repeats`
    runs after one warm-up; the runs' wall times; fn's last result. CPU time is the steadier
    measure on a machine shared with other jobs."""
    result = fn()
    wall, cpu = [], []
    for _ in range(repeats):
        c, t = time.process_time(), time.perf_counter()
        result = fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu), wall, result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    repo = Path(__file__).resolve().parents[1]
    default_data = os.environ.get("POSTURA_DATA") or str(repo.parent / "shared" / "data")
    ap.add_argument("--data", default=default_data, help="folder with cic-es/ (default: $POSTURA_DATA or ../shared/data)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--fit-repeats", type=int, default=3)
    args = ap.parse_args()
    data = Path(args.data)
    if not (data / "cic-es" / "train.tsv").is_file():
        data = Path("/work/shared/data")
    if not (data / "cic-es" / "train.tsv").is_file():
        print(f"no cic-es corpus under {args.data}: pass --data", file=sys.stderr)
        return 2
    train_x, train_y = read_cic(data / "cic-es" / "train.tsv")
    dev_x, dev_y = read_cic(data / "cic-es" / "dev.tsv")

    # fit
    fit_p, fit_p_cpu, fit_p_all, est = median_seconds(lambda: PosturaClassifier().fit(train_x, train_y), args.fit_repeats)
    fit_s, fit_s_cpu, fit_s_all, pipe = median_seconds(lambda: sklearn_pipeline().fit(train_x, train_y), args.fit_repeats)

    # predict: both models loaded back from their files, as a job that labels data would.
    buf = io.BytesIO()
    joblib.dump(pipe, buf)
    pipe = joblib.load(io.BytesIO(buf.getvalue()))
    model = postura.Model.from_bytes(est.model_.to_bytes())
    pred_p, pred_p_cpu, pred_p_all, proba_p = median_seconds(lambda: model.predict_proba(dev_x), args.repeats)
    pred_s, pred_s_cpu, pred_s_all, proba_s = median_seconds(lambda: pipe.predict_proba(dev_x), args.repeats)

    f1_p = f1_score(dev_y, [model.labels[i] for i in np.argmax(proba_p, axis=1)], average="macro")
    f1_s = f1_score(dev_y, pipe.classes_[np.argmax(proba_s, axis=1)], average="macro")
    threads = os.cpu_count()
    rows = [
        ("predict_proba cic-es dev", len(dev_x), pred_p, pred_s, pred_p_cpu, pred_s_cpu, 20),
        ("fit cic-es train", len(train_x), fit_p, fit_s, fit_p_cpu, fit_s_cpu, 10),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Python {platform.python_version()}, {threads} cores, load average {load:.1f}; "
        f"medians of {args.repeats} (predict) / {args.fit_repeats} (fit) runs"
    )
    print(f"{'step':<26} {'rows':>5} {'postura s':>10} {'sklearn s':>10} {'ratio':>7} {'CPU ratio':>10} {'bar':>5}")
    for name, n, p, s, pc, sc, bar in rows:
        print(f"{name:<26} {n:>5} {p:>10.4f} {s:>10.4f} {s / p:>6.1f}x {sc / pc:>9.1f}x {bar:>4}x")
    print(f"dev macro-F1: postura {f1_p:.4f}, sklearn {f1_s:.4f}")
    print(
        json.dumps(
            {
                "python": platform.python_version(),
                "cores": threads,
                "load_average": load,
                "predict": {"rows": len(dev_x), "postura_s": pred_p_all, "sklearn_s": pred_s_all, "ratio": pred_s / pred_p,
                            "cpu_ratio": pred_s_cpu / pred_p_cpu},
                "fit": {"rows": len(train_x), "postura_s": fit_p_all, "sklearn_s": fit_s_all, "ratio": fit_s / fit_p,
                        "cpu_ratio": fit_s_cpu / fit_p_cpu},
                "dev_macro_f1": {"postura": f1_p, "sklearn": f1_s},
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
