#!/usr/bin/env bash
# Accuracy of the default model (issue 3): 10-fold cross-validation on the project's corpus
# (grouped by text, so the two rows of a two-actor sentence stay in one fold),
# and transfer to real headlines it never saw (../shared/data/headlines/dev.csv).
# Usage: benches/default_model.sh            (reads ../shared/data when present)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${POSTURA_DATA:-../shared/data}"
cargo build --release --quiet
bin=target/release/postura
settings=$(cat models/default.flags)
echo "== 10-fold cross-validation on datasets/stance_es.csv (settings: $settings)"
# shellcheck disable=SC2086
"$bin" cv --data datasets/stance_es.csv --folds 10 --group-col text $settings
if [ -f "$data/headlines/dev.csv" ]; then
  echo
  echo "== transfer: the embedded default model on $data/headlines/dev.csv"
  "$bin" eval --data "$data/headlines/dev.csv" --actor-col target \
    --label-map POS=supportive,NEU=neutral,NEG=distancing
else
  echo "($data/headlines/dev.csv not found: transfer figure skipped)"
fi
