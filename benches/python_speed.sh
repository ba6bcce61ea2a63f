#!/usr/bin/env bash
# Speed of postura in Python against a scikit-learn TF-IDF + LogisticRegression pipeline on
# cic-es (benches/python_speed.py): builds the package into target/pyvenv (as the Python tests
# do) and runs the comparison. Extra arguments go to the script, e.g. --repeats 9.
# Data: $POSTURA_DATA, else ../shared/data beside the repository root.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${POSTURA_VENV:-$root/target/pyvenv}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet -r "$root/bindings/python/requirements-test.txt"
if ! "$venv/bin/python" -c "import postura" 2>/dev/null || [ -n "${REBUILD:-}" ]; then
    CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}" \
        "$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "$root/bindings/python"
fi
exec "$venv/bin/python" "$root/benches/python_speed.py" "$@"
