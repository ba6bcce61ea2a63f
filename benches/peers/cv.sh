#!/usr/bin/env bash
# Cross-validation on train with the same folds for every system (postura and the scikit-learn
# peers): sets up the venv, builds postura (release) and runs cv.py. Extra arguments go to cv.py:
#   benches/peers/cv.sh --folds 10
#   benches/peers/cv.sh --corpora cic-es --postura-flags "--loss hinge --c 0.3"
# Data: $POSTURA_DATA, else ../shared/data beside the repository root.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${POSTURA_DATA:-$ROOT/../shared/data}"
if [[ ! -d "$DATA" ]]; then
    echo "cv.sh: data directory $DATA not found (set POSTURA_DATA to override); nothing to compare"
    exit 0
fi
"$HERE/setup.sh"
(cd "$ROOT" && cargo build --release --quiet)
exec "$HERE/.venv/bin/python" "$HERE/cv.py" "$@"
