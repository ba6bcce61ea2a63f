#!/usr/bin/env bash
# Whole-process speed comparison on cic-es (issue 6): sklearn TF-IDF + LogisticRegression(C=10)
# in a Python process vs postura, N alternating repetitions (default 5), then the growth table
# and plot (benches/peers/growth.svg). Extra arguments go to compare.py, e.g.
#   benches/peers/speed.sh 9
#   benches/peers/speed.sh 3 --no-growth
#   benches/peers/speed.sh 5 --growth-reps 3
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${POSTURA_DATA:-$ROOT/../shared/data}"
if [[ ! -d "$DATA" ]]; then
    echo "speed.sh: data directory $DATA not found (set POSTURA_DATA to override); nothing to time"
    exit 0
fi
N=5
if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then
    N="$1"
    shift
fi
"$HERE/setup.sh"
(cd "$ROOT" && cargo build --release --quiet)
exec "$HERE/.venv/bin/python" "$HERE/compare.py" --speed "$N" "$@"
