#!/usr/bin/env bash
# Accuracy comparison: sets up the peers' venv, builds postura (release) and runs compare.py on
# both corpora (train -> dev). Extra arguments go to compare.py, e.g.
#   benches/peers/run.sh --no-autotune
#   benches/peers/run.sh --corpora headlines --autotune-budget 30
# Data: $POSTURA_DATA, else ../shared/data beside the repository root.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${POSTURA_DATA:-$ROOT/../shared/data}"
if [[ ! -d "$DATA" ]]; then
    echo "run.sh: data directory $DATA not found (set POSTURA_DATA to override); nothing to compare"
    exit 0
fi
"$HERE/setup.sh"
(cd "$ROOT" && cargo build --release --quiet)
exec "$HERE/.venv/bin/python" "$HERE/compare.py" "$@"
