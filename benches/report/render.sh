#!/usr/bin/env bash
# Renders the sample HTML reports from datasets/articles with headless Chromium and saves
# screenshots, to look at them as a reader would: the per-sentence report (label --format html)
# and the stance network (label --per pair --format html). Installs Debian's chromium package
# if it is missing. Usage: benches/report/render.sh [OUT_DIR]
# Writes OUT_DIR/report.{html,png} and OUT_DIR/pairs.{html,png} (default OUT_DIR: target/report).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-target/report}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium not found: installing Debian's chromium package" >&2
  apt-get install -y chromium >&2 || { apt-get update >&2 && apt-get install -y chromium >&2; }
fi

cargo build --release --quiet
# The example articles as JSON lines with dates, so the report has its stance over time too.
jsonl="$out/articles.jsonl"
: >"$jsonl"
day=1
for f in datasets/articles/*.txt; do
  python3 -c 'import json,sys; print(json.dumps({"id": sys.argv[1], "date": sys.argv[2], "text": open(sys.argv[1], encoding="utf-8").read()}, ensure_ascii=False))' \
    "$f" "2025-0$(( (day - 1) / 4 + 1 ))-$(printf %02d $(( (day * 7) % 28 + 1 )))" >>"$jsonl"
  day=$((day + 1))
done
target/release/postura label --actors datasets/actors.csv --format html --date-field date --by month \
  "$jsonl" >"$out/report.html"

target/release/postura label --actors datasets/actors.csv --per pair --format html --quiet \
  datasets/articles/ >"$out/pairs.html"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
for page in report pairs; do
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
    --screenshot="$out/$page.png" --window-size=1280,2000 "file://$out/$page.html" 2>/dev/null
  echo "wrote $out/$page.html ($(wc -c <"$out/$page.html") bytes) and $out/$page.png"
done
