#!/usr/bin/env bash
# Builds the Python package into a fresh virtual environment and runs its tests:
#   bash bindings/python/test.sh            (venv: target/pyvenv at the repository root)
# Needs python3 (>= 3.9, with venv), the Rust toolchain, PyPI and crates.io. The real-corpus test
# reads $POSTURA_DATA, else ../shared/data beside the repository, and is skipped without it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${POSTURA_VENV:-$root/target/pyvenv}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r "$here/requirements-test.txt"
# The extension's build shares the root's target directory, so crates the root build already
# compiled with the same settings are not compiled again.
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}" \
    "$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "$here"
cd "$here"
"$venv/bin/python" -m pytest -q tests "$@"
