#!/usr/bin/env bash
# Rebuilds models/default.postura, the model embedded in the binary, from the project's own
# corpus datasets/stance_es.csv. Training is deterministic and SOURCE_DATE_EPOCH pins the
# recorded date, so the same corpus and settings give the same bytes (tests/default_model.rs
# checks that retraining reproduces the shipped weights). Rebuild the binary afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
export SOURCE_DATE_EPOCH=1767225600
# The training settings live in models/default.flags (also read by benches/default_model.sh).
# shellcheck disable=SC2046
cargo run --release --quiet -- train --data datasets/stance_es.csv $(cat models/default.flags) \
  -o models/default.postura
cargo build --release --quiet
cargo run --release --quiet -- inspect --top 5
