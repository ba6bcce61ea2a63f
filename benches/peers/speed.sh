#!/usr/bin/env bash
# Whole-process speed comparison on cic-es (issue 6): sklearn TF-IDF + LogisticRegression(C=10)
# in a Python process vs postura, N alternating repetitions (default 5), then the growth table
# and plot (benches/peers/growth.svg). Extra arguments go to compare.py, e.g.
#   benches/peers/speed.sh 9
#   benches/peers/speed.sh 3 --no-growth
#   benches/peers/speed.sh 5 --growth-reps 3
set -euo pipefail
# shellcheck source=prepare.sh
source "$(dirname "$0")/prepare.sh"
N=5
if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then
    N="$1"
    shift
fi
exec "$HERE/.venv/bin/python" "$HERE/compare.py" --speed "$N" "$@"
