#!/usr/bin/env bash
# Behavioural tests of a stance model, CheckList style (issue 15): builds the binary, runs
# tests/checklist.rs against MODEL (default: the embedded default model) and prints the pass
# rate of every test and group, with the thresholds that guard them.
# Usage: benches/checklist.sh [MODEL] [JSON]
#   MODEL  a model file from `postura train` (relative to where you run the script)
#   JSON   also write the per-test and per-group rates, with failing cases, to this file
# Exit code: 0 when every group reaches its threshold, 1 otherwise (the table prints either way).
set -euo pipefail
abs() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }
model="${1:-}"
json="${2:-}"
if [ -n "$model" ]; then
  [ -f "$model" ] || { echo "checklist.sh: $model: no such model file" >&2; exit 2; }
  model=$(abs "$model")
fi
[ -z "$json" ] || json=$(abs "$json")
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
RUST_BACKTRACE=0 POSTURA_CHECKLIST_MODEL="$model" POSTURA_CHECKLIST_JSON="$json" \
  cargo test --release --quiet --test checklist -- --nocapture --exact checklist_pass_rates \
  >"$out" 2>&1 || status=$?
# Cargo's own chatter trimmed; the table, the JSON path and any threshold misses stay.
grep -v -e '^running [0-9]* test' -e '^test result:' -e '^test checklist_pass_rates' \
  -e '^failures:' -e '^    checklist_pass_rates' -e 'to rerun pass' -e 'RUST_BACKTRACE=1' -e '^\.\+$' \
  "$out" | cat -s || true
# cargo test says 101 for a failed test (or a failed build): 1 here.
exit $((status == 0 ? 0 : 1))
