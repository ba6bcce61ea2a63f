#!/usr/bin/env python3
"""Side-by-side comparison of postura with scikit-learn and fastText peers.

    compare.py                 accuracy table: every system, train -> dev, on both corpora
    compare.py --speed [N]     whole-process speed on cic-es, N alternating repetitions (default 5),
                               plus the growth table and plot (1k..32k training rows)

Run it through run.sh / speed.sh, which set up the venv and build postura first. See README.md.
Every train and predict step is its own process; its wall time, CPU time and peak RSS come from
os.wait4() on that process (the rusage of exactly that child).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
import peer  # noqa: E402  (corpus readers and the target placeholder; no heavy imports)

OUT = HERE / "out"
LABEL_MAP = "POS=supportive,NEU=neutral,NEG=distancing"
# cic-es / headlines files under the data dir, and the postura flags for them.
CORPUS_FILES = {
    "cic-es": ("cic-es/train.tsv", "cic-es/dev.tsv"),
    "headlines": ("headlines/train.csv", "headlines/dev.csv"),
}
POSTURA_TRAIN_FLAGS = {
    "cic-es": ["--text-col", "TWEET"],
    "headlines": ["--actor-col", "target", "--label-map", LABEL_MAP],
}
GROWTH_SIZES = [1000, 2000, 4000, 8000, 16000, 32000]
SPEED_PEER = "sklearn-lr-c10"


# --- processes -------------------------------------------------------------------------------


@dataclass
class Run:
    cmd: list[str]
    wall: float
    cpu: float
    peak_mb: float
    rc: int
    stdout: str
    stderr: str
    extra: dict = field(default_factory=dict)


class StepFailed(RuntimeError):
    pass


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run(cmd: list[str], log: str | None = None, check: bool = True) -> Run:
    """Runs one process. Wall clock around it; CPU (user+sys) from its rusage (os.wait4); peak RSS
    from GNU time's %M when /usr/bin/time exists, else from the rusage.

    Why GNU time: a process's ru_maxrss is a high-water mark over its whole life, including the
    moment between fork and exec when it still maps its parent's pages, so a child forked straight
    from this (tens of MB) Python process would report at least the parent's RSS. /usr/bin/time is
    a tiny process that forks the real command, so its %M is the command's own peak."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(prefix="peers-time-", delete=False) as tf:
        full = [GNU_TIME, "-q", "-f", "%M", "-o", tf.name, *cmd] if GNU_TIME else cmd
        t0 = time.perf_counter()
        p = subprocess.Popen(full, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        so = out.read().decode("utf-8", "replace")
        se = err.read().decode("utf-8", "replace")
    timed = Path(tf.name).read_text().split() if GNU_TIME else []
    Path(tf.name).unlink(missing_ok=True)
    maxrss_kib = int(timed[-1]) if timed and timed[-1].isdigit() else ru.ru_maxrss
    cpu = ru.ru_utime + ru.ru_stime
    if log:
        logs = OUT / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        (logs / f"{log}.log").write_text(
            f"$ {' '.join(cmd)}\n# rc={p.returncode} wall={wall:.3f}s "
            f"cpu={cpu:.3f}s maxrss={maxrss_kib}KiB\n"
            f"--- stdout\n{so}\n--- stderr\n{se}\n",
            encoding="utf-8",
        )
    r = Run(cmd, wall, cpu, maxrss_kib / 1024.0, p.returncode, so, se)
    if check and r.rc != 0:
        tail = "\n".join(se.strip().splitlines()[-15:])
        raise StepFailed(f"exit {r.rc}: {' '.join(cmd)}\n{tail}")
    return r


# --- environment -----------------------------------------------------------------------------


def data_dir() -> Path:
    env = os.environ.get("POSTURA_DATA")
    return Path(env).resolve() if env else (ROOT / ".." / "shared" / "data").resolve()


def postura_bin() -> Path:
    if os.environ.get("POSTURA_BIN"):
        return Path(os.environ["POSTURA_BIN"]).resolve()
    target = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
    if not target.is_absolute():
        target = ROOT / target
    return target / "release" / "postura"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def nproc() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def git_rev() -> str:
    try:
        rev = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True,
        ).stdout.strip()
        return rev + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "no git"


def versions() -> str:
    import importlib.metadata as md

    have = {d.metadata["Name"].lower(): d.version for d in md.distributions()}
    parts = [f"Python {platform.python_version()}"]
    for n in ("scikit-learn", "fasttext", "fasttext-wheel", "numpy"):
        if n in have:
            parts.append(f"{n} {have[n]}")
    return ", ".join(parts)


def header(bin_: Path) -> str:
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    ver = run([str(bin_), "--version"], check=False).stdout.strip() or "postura ?"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{now} · nproc {nproc()} · CPU: {cpu_model()} · load avg {load} · "
        f"{ver} (git {git_rev()}) · {versions()}"
    )


def require_peers() -> None:
    # Checked in a child: importing sklearn here would make this process big (see run()).
    probe = subprocess.run([sys.executable, "-c", "import fasttext, joblib, sklearn"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["import failed"])[-1]
        raise SystemExit(f"compare.py: {last}; run benches/peers/setup.sh and use its .venv python")
    if not GNU_TIME:
        print("compare.py: /usr/bin/time not found (setup.sh installs it); peak RSS comes from "
              "rusage and includes this Python process's size at fork", file=sys.stderr)


# --- scoring ---------------------------------------------------------------------------------


def scores(gold: list[str], pred: list[str]) -> tuple[float, float]:
    """(macro-F1, accuracy); macro over the labels seen in gold or pred, F1 = 0 when undefined."""
    assert len(gold) == len(pred), (len(gold), len(pred))
    f1s = []
    for lab in sorted(set(gold) | set(pred)):
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred))
        n_pred = sum(p == lab for p in pred)
        n_gold = sum(g == lab for g in gold)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    acc = sum(g == p for g, p in zip(gold, pred)) / len(gold)
    return sum(f1s) / len(f1s), acc


# --- systems ---------------------------------------------------------------------------------


def paired_bootstrap(gold: list[str], a: list[str], b: list[str], resamples: int = 2000,
                     seed: int = 7) -> tuple[float, float, float]:
    """Macro-F1 of `a` minus that of `b` on the same rows, with the 2.5% and 97.5% quantiles of
    that difference over `resamples` bootstrap resamples of the rows (seeded, so reruns agree)."""
    import numpy as np

    labels = sorted(set(gold) | set(a) | set(b))
    code = {lab: i for i, lab in enumerate(labels)}
    g, pa, pb = (np.array([code[x] for x in v]) for v in (gold, a, b))
    n, k = len(g), len(labels)
    idx = np.random.default_rng(seed).integers(0, n, size=(resamples, n))

    def macro_f1(pred: np.ndarray) -> np.ndarray:
        gi, pi = g[idx], pred[idx]
        f1 = np.zeros(resamples)
        for c in range(k):
            tp = ((gi == c) & (pi == c)).sum(axis=1)
            denom = (gi == c).sum(axis=1) + (pi == c).sum(axis=1)
            f1 += np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)
        return f1 / k

    delta = macro_f1(pa) - macro_f1(pb)
    point = scores(gold, a)[0] - scores(gold, b)[0]
    return point, float(np.quantile(delta, 0.025)), float(np.quantile(delta, 0.975))


def peer_train(system, corpus, train_file, model, log=None) -> Run:
    r = run([sys.executable, str(HERE / "peer.py"), "train", "--system", system, "--corpus", corpus,
             "--data", str(train_file), "--model", str(model)], log)
    r.extra["phases"] = json.loads(r.stdout.strip().splitlines()[-1])
    return r


def peer_predict(system, corpus, dev_file, model, pred_file, log=None) -> Run:
    r = run([sys.executable, str(HERE / "peer.py"), "predict", "--system", system, "--corpus",
             corpus, "--data", str(dev_file), "--model", str(model), "--out", str(pred_file)], log)
    r.extra["phases"] = json.loads(r.stdout.strip().splitlines()[-1])
    return r


def postura_train(bin_, corpus, train_file, model, extra=(), log=None) -> Run:
    return run([str(bin_), "train", "--data", str(train_file), *POSTURA_TRAIN_FLAGS[corpus],
                *extra, "-o", str(model), "-q"], log)


def postura_eval(bin_, dev_file, model, log=None) -> Run:
    r = run([str(bin_), "eval", "--model", str(model), "--data", str(dev_file), "--format", "json"],
            log)
    r.extra["eval"] = json.loads(r.stdout)
    return r


def postura_predictions(bin_, corpus, dev_file, model) -> list[str]:
    """postura's label for every dev row, in the corpus's own label names."""
    r = run([str(bin_), "predict", "--model", str(model), "--input", str(dev_file),
             *POSTURA_TRAIN_FLAGS[corpus], "--format", "jsonl"])
    back = {to: frm for frm, to in (p.split("=") for p in LABEL_MAP.split(","))}
    return [back.get(json.loads(line)["label"], json.loads(line)["label"])
            for line in r.stdout.splitlines()]


def has_autotune(bin_: Path) -> bool:
    return "--autotune" in run([str(bin_), "train", "--help"], check=False).stdout


def tune_split(corpus: str, train_file: Path, tmp: Path) -> tuple[Path, Path]:
    """Deterministic 80/20 split of the training file (by CRC32 of the id; headlines keep all rows
    of one headline together), written in the original format to tmp."""
    fit, tune = tmp / f"{corpus}-fit{train_file.suffix}", tmp / f"{corpus}-tune{train_file.suffix}"
    in_tune = lambda key: zlib.crc32(key.encode()) % 5 == 0  # noqa: E731
    if corpus == "cic-es":
        lines = train_file.read_text(encoding="utf-8").splitlines(keepends=True)
        head, body = lines[0], [ln for ln in lines[1:] if ln.strip()]
        parts = ([ln for ln in body if not in_tune(ln.split("\t", 1)[0])],
                 [ln for ln in body if in_tune(ln.split("\t", 1)[0])])
        for path, rows in zip((fit, tune), parts):
            path.write_text(head + "".join(rows), encoding="utf-8")
    else:
        with open(train_file, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            rows, fields = list(reader), reader.fieldnames
        for path, want in ((fit, False), (tune, True)):
            with open(path, "w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, fieldnames=fields)
                w.writeheader()
                w.writerows(r for r in rows if in_tune(r["headline_id"]) == want)
    return fit, tune


def model_card(bin_: Path, model: Path) -> dict:
    r = run([str(bin_), "inspect", str(model), "--format", "json", "--top", "0"], check=False)
    try:
        return json.loads(r.stdout).get("card", {})
    except json.JSONDecodeError:
        return {}


# --- accuracy table --------------------------------------------------------------------------


def fmt_row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def accuracy(args, bin_: Path, data: Path) -> int:
    require_peers()
    corpora = [c for c in args.corpora if all((data / f).is_file() for f in CORPUS_FILES[c])]
    for c in set(args.corpora) - set(corpora):
        print(f"compare.py: {c} files not found under {data}; skipping {c}", file=sys.stderr)
    head = header(bin_)
    autotune = has_autotune(bin_) and not args.no_autotune
    if not autotune:
        why = "--no-autotune" if args.no_autotune else "`postura train --help` has no --autotune"
        print(f"compare.py: skipping the postura --autotune rows ({why})", file=sys.stderr)
    budget = str(args.autotune_budget)
    results, notes, gaps = [], [], []
    peer_preds: dict[tuple[str, str], list[str]] = {}
    tmp = Path(tempfile.mkdtemp(prefix="postura-peers-"))
    try:
        for corpus in corpora:
            train_file, dev_file = (data / f for f in CORPUS_FILES[corpus])
            gold = [r["label"] for r in peer.read_rows(corpus, str(dev_file))]
            for system in args.systems:
                if system not in peer.SYSTEMS:
                    continue
                name = peer.SYSTEMS[system]
                print(f"[{corpus}] {name} …", file=sys.stderr, flush=True)
                model = tmp / f"{corpus}-{system}.model"
                pred_file = tmp / f"{corpus}-{system}.pred"
                tr = peer_train(system, corpus, train_file, model, f"{corpus}-{system}-train")
                pr = peer_predict(system, corpus, dev_file, model, pred_file,
                                  f"{corpus}-{system}-predict")
                pred = pred_file.read_text(encoding="utf-8").splitlines()
                peer_preds[(corpus, name)] = pred
                f1, acc = scores(gold, pred)
                results.append(dict(corpus=corpus, system=name, macro_f1=f1, accuracy=acc,
                                    train_wall=tr.wall, predict_wall=pr.wall, train_peak_mb=tr.peak_mb,
                                    predict_peak_mb=pr.peak_mb, train_cpu=tr.cpu,
                                    model_mb=model.stat().st_size / 2**20,
                                    train_phases=tr.extra["phases"],
                                    predict_phases=pr.extra["phases"]))
            if "postura" in args.systems:
                print(f"[{corpus}] postura (default) …", file=sys.stderr, flush=True)
                model = tmp / f"{corpus}-postura.model"
                tr = postura_train(bin_, corpus, train_file, model, log=f"{corpus}-postura-train")
                ev = postura_eval(bin_, dev_file, model, log=f"{corpus}-postura-eval")
                e = ev.extra["eval"]
                results.append(dict(corpus=corpus, system="postura (default settings)",
                                    macro_f1=e["macro_f1"], accuracy=e["accuracy"],
                                    train_wall=tr.wall, predict_wall=ev.wall,
                                    train_peak_mb=tr.peak_mb, predict_peak_mb=ev.peak_mb,
                                    train_cpu=tr.cpu, model_mb=model.stat().st_size / 2**20))
                if e["rows"] != len(gold):
                    notes.append(f"{corpus}: postura eval scored {e['rows']} rows, peers {len(gold)}")
                ours = postura_predictions(bin_, corpus, dev_file, model)
                for (c, name), pred in peer_preds.items():
                    if c != corpus:
                        continue
                    if len(ours) != len(gold) or len(pred) != len(gold):
                        notes.append(f"{corpus}: row counts differ, no bootstrap against {name}")
                        continue
                    d, lo, hi = paired_bootstrap(gold, ours, pred)
                    gaps.append(f"- {corpus}, postura − {name}: {d:+.4f} (95% interval "
                                f"{lo:+.4f} to {hi:+.4f})")
            if autotune and "postura" in args.systems:
                # (1) honest: tune on a held-out 20% of train, then refit on all of train
                # (`--refit` trains the chosen settings again on the fit and tune rows together).
                print(f"[{corpus}] postura --autotune --refit on a train split ({budget}s) …",
                      file=sys.stderr, flush=True)
                fit_file, tune_file = tune_split(corpus, train_file, tmp)
                model = tmp / f"{corpus}-postura-autotune-refit.model"
                at = postura_train(bin_, corpus, fit_file, model,
                                   ["--dev", str(tune_file), "--autotune", "--budget", budget,
                                    "--refit"],
                                   log=f"{corpus}-postura-autotune-split-train")
                card = model_card(bin_, model)
                if (card.get("refit") or {}).get("rows") is None:
                    notes.append(f"{corpus}: the autotuned model's card records no refit")
                label = "postura --autotune --refit (tuned on 20% of train, refit on all)"
                ev = postura_eval(bin_, dev_file, model, log=f"{corpus}-postura-autotune-split-eval")
                e = ev.extra["eval"]
                results.append(dict(corpus=corpus, system=label, macro_f1=e["macro_f1"],
                                    accuracy=e["accuracy"], train_wall=at.wall,
                                    predict_wall=ev.wall, train_peak_mb=at.peak_mb,
                                    predict_peak_mb=ev.peak_mb, train_cpu=at.cpu,
                                    model_mb=model.stat().st_size / 2**20,
                                    autotune=card.get("autotune")))
                # (2) as the flag is meant to be used, --dev = the evaluation file: optimistic.
                print(f"[{corpus}] postura --autotune --dev dev ({budget}s) …",
                      file=sys.stderr, flush=True)
                model = tmp / f"{corpus}-postura-autotune-dev.model"
                at = postura_train(bin_, corpus, train_file, model,
                                   ["--dev", str(dev_file), "--autotune", "--budget", budget],
                                   log=f"{corpus}-postura-autotune-dev-train")
                ev = postura_eval(bin_, dev_file, model, log=f"{corpus}-postura-autotune-dev-eval")
                e = ev.extra["eval"]
                results.append(dict(corpus=corpus,
                                    system="postura --autotune --dev <dev> (selected on dev: optimistic)",
                                    macro_f1=e["macro_f1"], accuracy=e["accuracy"],
                                    train_wall=at.wall, predict_wall=ev.wall,
                                    train_peak_mb=at.peak_mb, predict_peak_mb=ev.peak_mb,
                                    train_cpu=at.cpu, model_mb=model.stat().st_size / 2**20,
                                    autotune=model_card(bin_, model).get("autotune")))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    lines = [
        "## postura vs peers: train -> dev",
        "",
        head,
        "",
        fmt_row(["corpus", "system", "macro-F1", "accuracy", "train wall s", "predict wall s",
                 "train peak MB"]),
        fmt_row(["---", "---", "---:", "---:", "---:", "---:", "---:"]),
    ]
    for r in results:
        lines.append(fmt_row([r["corpus"], r["system"], f"{r['macro_f1']:.4f}",
                              f"{r['accuracy']:.4f}", f"{r['train_wall']:.2f}",
                              f"{r['predict_wall']:.2f}", f"{r['train_peak_mb']:.0f}"]))
    lines += [
        "",
        "Each train and predict step is one process (interpreter start, imports, reading the file, "
        "saving or loading the model included); one run each, so times on a busy machine are "
        "indicative: `compare.py --speed` repeats them. Peak MB = peak RSS in MiB."
        + (f" Autotune rows: --budget {budget}; the split row's train time is autotune + refit."
           if autotune else ""),
    ]
    lines += [f"Note: {n}" for n in notes]
    if gaps:
        lines += ["", "Dev macro-F1 differences, postura's default settings minus each peer, with a "
                  "paired bootstrap over the dev rows (2,000 resamples of the same predictions; "
                  "the interval is the dev set's row noise, not the training data's):"]
        lines += gaps
    tuned = [r for r in results if r.get("autotune")]
    if tuned:
        lines += ["", "Autotune searches (from the model cards):"]
        lines += [f"- {r['corpus']}, {r['system']}: {r['autotune']}" for r in tuned]
    text = "\n".join(lines) + "\n"
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "latest.md").write_text(text, encoding="utf-8")
    (OUT / "latest.json").write_text(json.dumps({"header": head, "results": results,
                                                 "bootstrap": gaps}, indent=1),
                                     encoding="utf-8")
    print(f"wrote {OUT / 'latest.md'}", file=sys.stderr)
    return 0


# --- speed -----------------------------------------------------------------------------------


def growth_file(lines: list[str], n: int, path: Path) -> Path:
    """The first n rows of cic-es train; past its end the rows repeat, each repeat with its id made
    unique and a light row-dependent token ("z" + row index mod 1009) appended to the tweet."""
    head, body = lines[0], [ln.rstrip("\n") for ln in lines[1:] if ln.strip()]
    out = [head if head.endswith("\n") else head + "\n"]
    for i in range(n):
        ident, tweet, label = body[i % len(body)].split("\t")
        copy = i // len(body)
        if copy:
            ident, tweet = f"{ident}{copy:02d}", f"{tweet} z{i % 1009}"
        out.append(f"{ident}\t{tweet}\t{label}\n")
    path.write_text("".join(out), encoding="utf-8")
    return path


def summary(runs: list[Run]) -> dict:
    walls = [r.wall for r in runs]
    return dict(n=len(runs), median=statistics.median(walls), min=min(walls),
                cpu=statistics.median(r.cpu for r in runs),
                peak=statistics.median(r.peak_mb for r in runs), walls=walls)


def growth_svg(rows: list[dict], paths: list[Path], reps: int = 1) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "postura-peers"  # stable ids: same data, same file
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    x = [r["rows"] for r in rows]
    for key, label, style in (("postura", "postura train (default)", "o-"),
                              ("sklearn", "sklearn TF-IDF + LogReg C=10 (python process)", "s--")):
        ax1.plot(x, [r[key]["median"] for r in rows], style, label=label)
        ax2.plot(x, [r[key]["peak"] for r in rows], style, label=label)
    for ax, title, unit in ((ax1, "training wall time", "seconds"),
                            (ax2, "training peak RSS", "MiB")):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(x)
        ax.set_xticklabels([f"{v // 1000}k" for v in x])
        ax.set_xlabel("training rows (cic-es, repeated past 6k)")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
    ax1.legend(fontsize=8)
    fig.suptitle(f"Training on cic-es rows, whole process, {nproc()}-core machine"
                 + (f", median of {reps} runs per point" if reps > 1 else ""), fontsize=10)
    fig.tight_layout()
    for p in paths:
        p.parent.mkdir(parents=True, exist_ok=True)
        # No date in the SVG metadata: the same numbers give the same file.
        meta = {"metadata": {"Date": None}} if p.suffix == ".svg" else {}
        fig.savefig(p, **meta)
    plt.close(fig)


def speed(args, bin_: Path, data: Path) -> int:
    require_peers()
    train_file, dev_file = (data / f for f in CORPUS_FILES["cic-es"])
    if not (train_file.is_file() and dev_file.is_file()):
        print(f"compare.py: cic-es files not found under {data}; nothing to time")
        return 0
    n = args.speed
    head = header(bin_)
    tmp = Path(tempfile.mkdtemp(prefix="postura-peers-speed-"))
    res: dict[str, dict[str, list[Run]]] = {}
    add = lambda step, sys_, r: res.setdefault(step, {}).setdefault(sys_, []).append(r)  # noqa: E731
    try:
        # Warm-up (not counted): page cache for the data, binary and venv.
        print("[speed] warm-up …", file=sys.stderr, flush=True)
        peer_train(SPEED_PEER, "cic-es", train_file, tmp / "warm.joblib")
        postura_train(bin_, "cic-es", train_file, tmp / "warm.postura")
        peer_predict(SPEED_PEER, "cic-es", dev_file, tmp / "warm.joblib", tmp / "warm.pred")
        postura_eval(bin_, dev_file, tmp / "warm.postura")
        probe = run([str(bin_), "predict", "hola", "--actor", "X"], check=False)
        has_default = probe.rc == 0
        default_err = (probe.stderr.strip().splitlines() or [f"exit {probe.rc}"])[-1]
        for i in range(n):
            print(f"[speed] repetition {i + 1}/{n} …", file=sys.stderr, flush=True)
            order = ["sklearn", "postura"] if i % 2 == 0 else ["postura", "sklearn"]
            jm, pm = tmp / f"m{i}.joblib", tmp / f"m{i}.postura"
            for s in order:  # (a) train
                add("a", s, peer_train(SPEED_PEER, "cic-es", train_file, jm) if s == "sklearn"
                    else postura_train(bin_, "cic-es", train_file, pm))
            for s in order:  # (b) predict dev, model load included
                add("b", s, peer_predict(SPEED_PEER, "cic-es", dev_file, jm, tmp / "p.pred")
                    if s == "sklearn" else postura_eval(bin_, dev_file, pm))
            for s in order:  # (c) start-up
                add("c1", s, run([sys.executable, "-c", "import sklearn.linear_model"])
                    if s == "sklearn" else run([str(bin_), "--version"]))
                if s == "sklearn":
                    add("c2", s, run([sys.executable, "-c",
                                      "import joblib,sys; m=joblib.load(sys.argv[1]); "
                                      "print(m.predict(['hola'])[0])", str(jm)]))
                elif has_default:
                    add("c2", s, run([str(bin_), "predict", "hola", "--actor", "X"]))
            for r in (jm, pm):
                r.unlink(missing_ok=True)

        # Growth: train only, sizes alternate the order too.
        growth = []
        if not args.no_growth:
            lines = train_file.read_text(encoding="utf-8").splitlines(keepends=True)
            for k, size in enumerate(args.growth_sizes):
                print(f"[speed] growth {size} rows …", file=sys.stderr, flush=True)
                f = growth_file(lines, size, tmp / f"growth-{size}.tsv")
                runs: dict[str, list[Run]] = {"sklearn": [], "postura": []}
                for j in range(args.growth_reps):
                    order = ["sklearn", "postura"] if (k + j) % 2 == 0 else ["postura", "sklearn"]
                    for s in order:
                        runs[s].append(
                            peer_train(SPEED_PEER, "cic-es", f, tmp / "g.joblib") if s == "sklearn"
                            else postura_train(bin_, "cic-es", f, tmp / "g.postura"))
                growth.append(dict(rows=size, **{s: summary(v) for s, v in runs.items()}))
                f.unlink()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    steps = {
        "a": "(a) train cic-es/train.tsv",
        "b": "(b) predict cic-es/dev.tsv, model load included",
        "c1": "(c) process start-up",
        "c2": "(c) load a model and label one statement",
    }
    peer_what = {
        "a": "python: sklearn TF-IDF(word 1-2 + char_wb 2-5) + LogReg C=10, joblib.dump",
        "b": "python: joblib.load + predict",
        "c1": "python -c 'import sklearn.linear_model'",
        "c2": "python: joblib.load(cic-es model) + predict(['hola'])",
    }
    postura_what = {
        "a": "postura train (default settings)",
        "b": "postura eval --format json",
        "c1": "postura --version",
        "c2": "postura predict \"hola\" --actor X (embedded default model)",
    }
    lines = [
        "## Whole-process speed on cic-es (issue 6)",
        "",
        head,
        "",
        f"{n} repetitions, systems alternating order each repetition, after one untimed warm-up. "
        "Wall = the whole process (start, imports, reading, fitting or loading, writing). "
        "Ratio = peer / postura (above 1: postura is faster or smaller).",
        "",
        fmt_row(["step", "system", "median wall s", "min wall s", "median CPU s",
                 "median peak MB", "wall ratio (median)", "peak ratio (median)"]),
        fmt_row(["---", "---", "---:", "---:", "---:", "---:", "---:", "---:"]),
    ]
    speed_json = {"header": head, "repetitions": n, "steps": {}, "growth": []}
    for step, title in steps.items():
        if step not in res:
            continue
        sums = {s: summary(v) for s, v in res[step].items()}
        speed_json["steps"][step] = {"title": title, **sums}
        for s in ("sklearn", "postura"):
            if s not in sums:
                continue
            m = sums[s]
            ratio_w = ratio_p = ""
            if s == "sklearn" and "postura" in sums:
                ratio_w = f"{m['median'] / sums['postura']['median']:.1f}×"
                ratio_p = f"{m['peak'] / sums['postura']['peak']:.1f}×"
            lines.append(fmt_row([title if s == "sklearn" or "sklearn" not in sums else "″",
                                  (peer_what if s == "sklearn" else postura_what)[step],
                                  f"{m['median']:.3f}", f"{m['min']:.3f}",
                                  f"{m['cpu']:.3f}", f"{m['peak']:.0f}", ratio_w, ratio_p]))
    if not has_default:
        lines.append(f"\n(c) `postura predict \"hola\" --actor X` skipped: it fails in this build "
                     f"({default_err}).")
    if growth:
        reps = args.growth_reps
        lines += [
            "",
            f"### Training growth (cic-es train, first N rows; past 6,046 the rows repeat with a "
            f"row-dependent token appended; {'median of ' + str(reps) if reps > 1 else 'one run'} per cell)",
            "",
            fmt_row(["rows", "postura wall s", "sklearn wall s", "wall ratio", "postura CPU s",
                     "sklearn CPU s", "postura peak MB", "sklearn peak MB", "peak ratio"]),
            fmt_row(["---:"] * 9),
        ]
        for g in growth:
            p, s = g["postura"], g["sklearn"]
            lines.append(fmt_row([f"{g['rows']:,}", f"{p['median']:.2f}", f"{s['median']:.2f}",
                                  f"{s['median'] / p['median']:.1f}×", f"{p['cpu']:.2f}",
                                  f"{s['cpu']:.2f}", f"{p['peak']:.0f}", f"{s['peak']:.0f}",
                                  f"{s['peak'] / p['peak']:.1f}×"]))
        speed_json["growth"] = growth
        growth_svg(growth, [OUT / "growth.svg", HERE / "growth.svg"], args.growth_reps)
        lines += ["", "Plot: benches/peers/growth.svg (also out/growth.svg)."]
    text = "\n".join(lines) + "\n"
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "speed.md").write_text(text, encoding="utf-8")
    (OUT / "speed.json").write_text(json.dumps(speed_json, indent=1), encoding="utf-8")
    print(f"wrote {OUT / 'speed.md'}", file=sys.stderr)
    return 0


# --- main ------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--speed", type=int, nargs="?", const=5, metavar="N",
                    help="whole-process speed comparison on cic-es with N repetitions (default 5)")
    ap.add_argument("--corpora", nargs="+", default=list(peer.CORPORA), choices=peer.CORPORA)
    ap.add_argument("--systems", nargs="+", default=[*peer.SYSTEMS, "postura"],
                    choices=[*peer.SYSTEMS, "postura"], help="accuracy mode: which systems")
    ap.add_argument("--no-autotune", action="store_true", help="skip the postura --autotune rows")
    ap.add_argument("--autotune-budget", type=int,
                    default=int(os.environ.get("POSTURA_AUTOTUNE_BUDGET", "120")),
                    help="seconds for each postura --autotune run [default: 120, or "
                         "$POSTURA_AUTOTUNE_BUDGET]")
    ap.add_argument("--no-growth", action="store_true", help="--speed: skip the growth table")
    ap.add_argument("--growth-sizes", type=int, nargs="+", default=GROWTH_SIZES)
    ap.add_argument("--growth-reps", type=int, default=3,
                    help="--speed: runs per growth cell, median reported [default: 3]")
    args = ap.parse_args()

    data = data_dir()
    if not data.is_dir():
        print(f"compare.py: data directory {data} not found (set POSTURA_DATA to override); "
              "nothing to compare")
        return 0
    built = postura_bin()
    if not built.is_file():
        print(f"compare.py: {built} not found; build it with `cargo build --release` "
              "(run.sh does) or set POSTURA_BIN", file=sys.stderr)
        return 1
    # A private copy: others may rebuild target/release while this runs for minutes.
    snap = Path(tempfile.mkdtemp(prefix="postura-peers-bin-"))
    bin_ = snap / "postura"
    shutil.copy2(built, bin_)
    try:
        if args.speed is not None:
            if args.speed < 1:
                ap.error("--speed N needs N >= 1")
            return speed(args, bin_, data)
        return accuracy(args, bin_, data)
    except StepFailed as e:
        print(f"compare.py: a step failed: {e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(snap, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
