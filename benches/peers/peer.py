#!/usr/bin/env python3
"""Peer systems for benches/peers/compare.py, one process per step.

    peer.py train   --system NAME --corpus CORPUS --data TRAIN_FILE --model OUT
    peer.py predict --system NAME --corpus CORPUS --data DEV_FILE --model MODEL --out PRED_FILE

`train` reads the file, fits and saves the model (joblib for scikit-learn, fastText's own .bin);
`predict` loads the saved model, reads the file and writes one predicted label per line. Each is a
separate process so its wall time and peak RSS include interpreter start, imports, reading the
data and (for predict) loading the model, as `postura train` / `postura eval` do. Both print a
JSON line with their in-process phase times on stdout.

This module also holds the corpus readers and the target placeholder used by compare.py; heavy
imports (sklearn, fasttext) happen only inside the functions that need them.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
import unicodedata

T_START = time.perf_counter()

# --- corpora ---------------------------------------------------------------------------------

CORPORA = ("cic-es", "headlines")

# Placeholder that replaces each mention of the target in headlines (both tokenizers keep it whole).
TARGET_TOKEN = "XTARGETX"
# What follows a headline that never names its target.
SEP = " [SEP] "


def read_rows(corpus: str, path: str) -> list[dict]:
    """Rows as dicts with keys id, text, target (None for cic-es), label."""
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        if corpus == "cic-es":
            # Tab-separated, no quoting at all: a '"' inside a tweet is just a character.
            reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader)
            col = {name: i for i, name in enumerate(header)}
            for rec in reader:
                if not rec:
                    continue
                rows.append(
                    {
                        "id": rec[col["id_str"]],
                        "text": rec[col["TWEET"]],
                        "target": None,
                        "label": rec[col["LABEL"]],
                    }
                )
        elif corpus == "headlines":
            for rec in csv.DictReader(f):
                rows.append(
                    {
                        "id": rec["headline_id"],
                        "text": rec["text"],
                        "target": rec["target"],
                        "label": rec["label"],
                    }
                )
        else:
            raise SystemExit(f"unknown corpus {corpus!r}")
    return rows


def _fold_char(c: str) -> str:
    """Lowercased, accents dropped: 'Á' -> 'a', 'ñ' -> 'n'."""
    return "".join(
        ch for ch in unicodedata.normalize("NFD", c.casefold()) if not unicodedata.combining(ch)
    )


def fold(s: str) -> str:
    return "".join(_fold_char(c) for c in s)


def mark_target(text: str, target: str | None) -> str:
    """The text a peer sees for (text, target).

    Every whole-word mention of the target (case- and accent-insensitive; the target's words may be
    separated by any run of non-word characters, so "Del Caño" matches "del cano" and
    "Del  Caño") is replaced by XTARGETX. When the text never names the target, the text is kept
    and " [SEP] <target>" is appended, so the peer still knows who the statement is about.
    """
    if not target:
        return text
    words = re.findall(r"\w+", fold(target))
    if not words:
        return text + SEP + target
    folded_chars: list[str] = []
    origin: list[int] = []  # origin[k] = index in `text` of folded character k
    for i, c in enumerate(text):
        f = _fold_char(c)
        folded_chars.append(f)
        origin.extend([i] * len(f))
    folded = "".join(folded_chars)
    pattern = re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)")
    spans = [(origin[m.start()], origin[m.end() - 1] + 1) for m in pattern.finditer(folded)]
    if not spans:
        return text + SEP + target
    out, last = [], 0
    for a, b in spans:
        out.append(text[last:a])
        out.append(TARGET_TOKEN)
        last = b
    out.append(text[last:])
    return "".join(out)


def peer_texts(corpus: str, rows: list[dict]) -> list[str]:
    return [mark_target(r["text"], r["target"]) for r in rows]


# --- systems ---------------------------------------------------------------------------------

# Fixed settings, chosen before looking at any dev score and never tuned.
TFIDF_COMMON = dict(sublinear_tf=True, strip_accents="unicode", lowercase=True)
FASTTEXT_COMMON = dict(
    lr=0.5,
    epoch=25,
    dim=100,
    wordNgrams=2,
    minCount=1,
    loss="softmax",
    # fastText's default of 2M hash buckets makes a 2M x 100 float matrix (800 MB in RAM and on
    # disk) for a few thousand rows; 200k buckets keeps collisions rare at this size.
    bucket=200_000,
    thread=1,  # one thread + fixed seed: the same model on every run
    seed=1,
    verbose=0,
)

SYSTEMS = {
    "sklearn-lr-c1": "sklearn TF-IDF + LogisticRegression C=1",
    "sklearn-lr-c10": "sklearn TF-IDF + LogisticRegression C=10",
    "sklearn-svm-c1": "sklearn TF-IDF + LinearSVC C=1",
    "fasttext-word": "fastText wordNgrams=2, no subwords",
    "fasttext-sub": "fastText wordNgrams=2, subwords 2-5",
}


def sklearn_pipeline(system: str):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC
    from sklearn.feature_extraction.text import TfidfVectorizer

    features = FeatureUnion(
        [
            ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), **TFIDF_COMMON)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), **TFIDF_COMMON)),
        ]
    )
    if system == "sklearn-lr-c1":
        clf = LogisticRegression(C=1.0, max_iter=2000)
    elif system == "sklearn-lr-c10":
        clf = LogisticRegression(C=10.0, max_iter=2000)
    elif system == "sklearn-svm-c1":
        clf = LinearSVC(C=1.0, random_state=0)
    else:
        raise SystemExit(f"not a scikit-learn system: {system}")
    return Pipeline([("features", features), ("clf", clf)])


_PUNCT = re.compile(r"([^\w\s])")


def fasttext_line(text: str) -> str:
    """fastText splits on whitespace only: lowercase and set punctuation apart (accents kept)."""
    return " ".join(_PUNCT.sub(r" \1 ", text.lower()).split())


def fasttext_params(system: str) -> dict:
    if system == "fasttext-word":
        return dict(FASTTEXT_COMMON, minn=0, maxn=0)
    if system == "fasttext-sub":
        return dict(FASTTEXT_COMMON, minn=2, maxn=5)
    raise SystemExit(f"not a fastText system: {system}")


# --- steps -----------------------------------------------------------------------------------


def train(system: str, corpus: str, data: str, model_path: str) -> dict:
    phases = {}
    t = time.perf_counter()
    rows = read_rows(corpus, data)
    texts, labels = peer_texts(corpus, rows), [r["label"] for r in rows]
    phases["read"] = time.perf_counter() - t
    if system.startswith("sklearn"):
        t = time.perf_counter()
        pipe = sklearn_pipeline(system)
        import joblib

        phases["import"] = time.perf_counter() - t
        t = time.perf_counter()
        pipe.fit(texts, labels)
        phases["fit"] = time.perf_counter() - t
        t = time.perf_counter()
        joblib.dump(pipe, model_path)
        phases["save"] = time.perf_counter() - t
    else:
        import os
        import tempfile

        t = time.perf_counter()
        import fasttext

        phases["import"] = time.perf_counter() - t
        t = time.perf_counter()
        fd, tmp = tempfile.mkstemp(suffix=".txt", prefix="peers-ft-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for text, label in zip(texts, labels):
                f.write(f"__label__{label} {fasttext_line(text)}\n")
        try:
            model = fasttext.train_supervised(input=tmp, **fasttext_params(system))
        finally:
            os.unlink(tmp)
        phases["fit"] = time.perf_counter() - t
        t = time.perf_counter()
        model.save_model(model_path)
        phases["save"] = time.perf_counter() - t
    return phases


def predict(system: str, corpus: str, data: str, model_path: str, out: str) -> dict:
    phases = {}
    t = time.perf_counter()
    if system.startswith("sklearn"):
        import joblib

        pipe = joblib.load(model_path)
    else:
        import fasttext

        model = fasttext.load_model(model_path)
    phases["load"] = time.perf_counter() - t
    t = time.perf_counter()
    rows = read_rows(corpus, data)
    texts = peer_texts(corpus, rows)
    phases["read"] = time.perf_counter() - t
    t = time.perf_counter()
    if system.startswith("sklearn"):
        pred = [str(p) for p in pipe.predict(texts)]
    else:
        labels, _ = model.predict([fasttext_line(x) for x in texts], k=1)
        pred = [ls[0].removeprefix("__label__") for ls in labels]
    phases["predict"] = time.perf_counter() - t
    with open(out, "w", encoding="utf-8") as f:
        f.writelines(p + "\n" for p in pred)
    return phases


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("step", choices=["train", "predict"])
    ap.add_argument("--system", required=True, choices=sorted(SYSTEMS))
    ap.add_argument("--corpus", required=True, choices=CORPORA)
    ap.add_argument("--data", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--out", help="predict: where to write one label per line")
    a = ap.parse_args(argv)
    if a.step == "train":
        phases = train(a.system, a.corpus, a.data, a.model)
    else:
        if not a.out:
            ap.error("predict needs --out")
        phases = predict(a.system, a.corpus, a.data, a.model, a.out)
    phases["total_in_process"] = time.perf_counter() - T_START
    print(json.dumps({k: round(v, 4) for k, v in phases.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
