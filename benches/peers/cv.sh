#!/usr/bin/env bash
# Cross-validation on train with the same folds for every system (postura and the scikit-learn
# peers): sets up the venv, builds postura (release) and runs cv.py. Extra arguments go to cv.py:
#   benches/peers/cv.sh --folds 10
#   benches/peers/cv.sh --corpora cic-es --postura-flags "--loss hinge --c 0.3"
# Data: $POSTURA_DATA, else ../shared/data beside the repository root.
set -euo pipefail
# shellcheck source=prepare.sh
source "$(dirname "$0")/prepare.sh"
exec "$HERE/.venv/bin/python" "$HERE/cv.py" "$@"
