#!/usr/bin/env bash
# Runs each cargo-fuzz target for a bounded time and prints executions and findings.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      (default: 60 s each; all four targets)
#
# cargo-fuzz needs a nightly compiler for -Zsanitizer=address: `cargo +nightly` when a nightly
# toolchain is installed, else the stable compiler with RUSTC_BOOTSTRAP=1. Install cargo-fuzz
# once with `cargo install cargo-fuzz`. Crashes land in fuzz/artifacts/TARGET/, logs in fuzz/logs/.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(tokenize sentences csv_load model_load)

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2
    exit 2
fi
if cargo +nightly --version >/dev/null 2>&1; then
    fuzz=(cargo +nightly fuzz)
else
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
fi

# Seed the model loader with a real model file, trained from the seed CSV of the loader.
mkdir -p corpus logs
for t in "${targets[@]}"; do mkdir -p "corpus/$t"; done
if [[ " ${targets[*]} " == *" model_load "* ]] && [ ! -s seeds/model_load/tiny.postura ]; then
    tmp=$(mktemp -d)
    {
        echo "text,label"
        for w in apoya respalda celebra; do echo "El gremio $w a Marta Ruiz,supportive"; done
        for w in visita entrevista llama; do echo "El gremio $w a Marta Ruiz,neutral"; done
        for w in critica rechaza denuncia; do echo "El gremio $w a Marta Ruiz,distancing"; done
    } >"$tmp/seed.csv"
    (cd .. && cargo run --release --quiet -- train --data "$tmp/seed.csv" -o "$tmp/tiny.postura" -q --min-df 1)
    # Mode byte 0: the raw file; mode byte 1: the payload wrapped in a fresh header.
    { printf '\x00'; cat "$tmp/tiny.postura"; } >seeds/model_load/tiny.postura
    { printf '\x01'; cat "$tmp/tiny.postura"; } >seeds/model_load/tiny-wrapped.postura
    rm -r "$tmp"
fi

status=0
for t in "${targets[@]}"; do
    echo "== $t ($secs s)"
    if "${fuzz[@]}" run --release "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=4096 -max_len=65536 -timeout=10 -print_final_stats=1 \
        >"logs/$t.log" 2>&1; then
        result="no findings"
    else
        result="FINDING: see fuzz/logs/$t.log and fuzz/artifacts/$t/"
        status=1
    fi
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' || echo "?")
    echo "$t: $execs executions, $result"
done
exit $status
