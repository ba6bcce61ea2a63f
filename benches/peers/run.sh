#!/usr/bin/env bash
# Accuracy comparison: sets up the peers' venv, builds postura (release) and runs compare.py on
# both corpora (train -> dev). Extra arguments go to compare.py, e.g.
#   benches/peers/run.sh --no-autotune
#   benches/peers/run.sh --corpora headlines --autotune-budget 30
# Data: $POSTURA_DATA, else ../shared/data beside the repository root.
set -euo pipefail
# shellcheck source=prepare.sh
source "$(dirname "$0")/prepare.sh"
exec "$HERE/.venv/bin/python" "$HERE/compare.py" "$@"
