#!/usr/bin/env bash
# The Spark example end to end on a fresh machine: a headless JRE (Debian's default-jre-headless,
# when there is no java), pyspark and the postura package in a venv, generated articles, the job in
# local[2] mode, and one `postura label` process on the same input for comparison.
#
#   bash examples/spark/run.sh [ARTICLES=5000] [REPEATS=3]
#   SOURCE=datasets bash examples/spark/run.sh 2000     # datasets/articles, repeated
#
# Needs python3 (with venv), the Rust toolchain, PyPI, crates.io and (without java) Debian's
# packages. Writes everything under target/spark-example/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
articles=${1:-5000}
repeats=${2:-3}
work="$root/target/spark-example"
venv="${SPARK_VENV:-$root/target/sparkvenv}"
mkdir -p "$work"

if ! command -v java >/dev/null 2>&1; then
    echo "== no java: installing Debian's default-jre-headless"
    sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
    $sudo_ apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq default-jre-headless
fi
java -version 2>&1 | head -1

echo "== venv $venv: pyspark, pyarrow, pandas and the postura package"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}" \
    "$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "$root/bindings/python"

echo "== input: $articles articles"
if [ "${SOURCE:-generated}" = datasets ]; then
    "$venv/bin/python" "$here/generate.py" --datasets "$articles" > "$work/in.jsonl"
else
    "$venv/bin/python" "$here/generate.py" "$articles" > "$work/in.jsonl"
fi
actor="José Antonio Kast"
aliases=(Kast "el dirigente republicano" "el líder republicano" "el dirigente chileno" @joseantoniokast)

echo "== Spark local[2], mapInPandas with postura.label_articles (medians of $repeats)"
export PYSPARK_PYTHON="$venv/bin/python"
alias_flags=()
for a in "${aliases[@]}"; do alias_flags+=(--alias "$a"); done
spark_times=()
spark_total=()
for _ in $(seq "$repeats"); do
    start=$(date +%s.%N)
    line=$("$venv/bin/python" "$here/label_job.py" --master "local[2]" --partitions 2 \
        --input "$work/in.jsonl" --output "$work/spark-out" --actor "$actor" "${alias_flags[@]}" 2>"$work/spark.err" | tail -1)
    end=$(date +%s.%N)
    echo "  $line  (whole process $(echo "$end - $start" | bc) s)"
    spark_times+=("$(echo "$line" | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')")
    spark_rows=$(echo "$line" | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["rows"])')
    spark_total+=("$(echo "$end - $start" | bc)")
done

echo "== one postura label process on the same file"
(cd "$root" && cargo build --release --quiet)
label_times=()
for _ in $(seq "$repeats"); do
    start=$(date +%s.%N)
    "$root/target/release/postura" label -q --actor "$actor" "${alias_flags[@]}" "$work/in.jsonl" > "$work/label-out.jsonl"
    end=$(date +%s.%N)
    label_times+=("$(echo "$end - $start" | bc)")
done
label_rows=$(wc -l < "$work/label-out.jsonl")

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
s=$(median "${spark_times[@]}"); S=$(median "${spark_total[@]}"); l=$(median "${label_times[@]}")
echo "== $(nproc) cores, $(date -u '+%F %H:%M UTC')"
awk -v n="$spark_rows" -v t="$s" -v T="$S" 'BEGIN { printf "spark local[2]:  %d sentences, labeling stage %.2f s (%.0f sentences/s); whole job with JVM start %.2f s\n", n, t, n / t, T }'
awk -v n="$label_rows" -v t="$l" 'BEGIN { printf "postura label:   %d sentences, %.2f s (%.0f sentences/s), one process\n", n, t, n / t }'
if [ "$spark_rows" != "$label_rows" ]; then
    echo "row counts differ: spark $spark_rows, postura label $label_rows" >&2
    exit 1
fi
