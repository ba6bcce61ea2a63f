#!/usr/bin/env bash
# Creates benches/peers/.venv with the pinned peers of requirements.txt (scikit-learn, fastText,
# matplotlib). Idempotent: when the venv already holds exactly these pins it does nothing.
#
#   benches/peers/setup.sh          # create or update the venv
#   PYTHON=python3.11 benches/peers/setup.sh
#
# fastText: `fasttext` from PyPI first (it may compile C++, a minute or two); when that fails,
# `fasttext-wheel` (the version on the "# fallback" line of requirements.txt), which installs the
# same `fasttext` module.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
VENV="$HERE/.venv"
REQ="$HERE/requirements.txt"
PY="${PYTHON:-python3}"
STAMP="$VENV/.peers-requirements.sha256"
want="$(sha256sum "$REQ" | cut -d' ' -f1)"

check() {
    "$VENV/bin/python" - <<'EOF' 2>/dev/null
import fasttext, joblib, matplotlib, numpy, sklearn, scipy  # noqa: F401
EOF
}

# GNU time measures each step's own peak RSS (see run() in compare.py); without it compare.py
# falls back to rusage, which also counts the parent Python's pages at fork.
if [[ ! -x /usr/bin/time ]]; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        echo "setup.sh: installing GNU time (apt-get install time)" >&2
        apt-get install -y -qq time >&2 || { apt-get update -qq >&2 && apt-get install -y -qq time >&2; } ||
            echo "setup.sh: could not install GNU time; peak RSS will come from rusage" >&2
    else
        echo "setup.sh: /usr/bin/time missing (apt-get install time); peak RSS will come from rusage" >&2
    fi
fi

if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]] && check; then
    echo "setup.sh: $VENV is up to date (requirements.txt unchanged); nothing to do" >&2
    exit 0
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    echo "setup.sh: creating $VENV with $("$PY" --version 2>&1)" >&2
    "$PY" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
"${PIP[@]}" install --quiet --upgrade pip >&2 || true

echo "setup.sh: installing requirements.txt (fasttext may compile C++ for a minute or two)" >&2
if ! "${PIP[@]}" install --quiet -r "$REQ" >&2; then
    fallback="$(sed -n 's/^# fallback \(fasttext-wheel==[^ ]*\).*/\1/p' "$REQ")"
    echo "setup.sh: 'fasttext' did not install; trying ${fallback:-fasttext-wheel}" >&2
    tmp="$(mktemp)"
    trap 'rm -f "$tmp"' EXIT
    grep -v '^fasttext==' "$REQ" >"$tmp"
    "${PIP[@]}" install --quiet -r "$tmp" "${fallback:-fasttext-wheel}" >&2
fi

if ! check; then
    echo "setup.sh: the venv does not import fasttext/sklearn/matplotlib after install" >&2
    exit 1
fi
echo "$want" >"$STAMP"
"$VENV/bin/python" - <<'EOF' >&2
import importlib.metadata as md
have = {d.metadata["Name"].lower(): d.version for d in md.distributions()}
names = ["scikit-learn", "numpy", "scipy", "matplotlib", "fasttext", "fasttext-wheel"]
print("setup.sh: ready:", ", ".join(f"{n} {have[n]}" for n in names if n in have))
EOF
