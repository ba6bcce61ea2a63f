#!/usr/bin/env bash
# Whole-process labeling throughput: `postura label` with the embedded default model on generated
# news-like JSON lines (stdin → stdout, the map-step use), repeated; prints the median wall time
# and sentences labeled per minute. Target (issue: label): at least 1,000,000 per minute.
#
#   bash benches/label_speed.sh [ARTICLES=20000] [REPEATS=5]
#
# The criterion bench `cargo bench --bench label` measures the library alone.
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-20000}
repeats=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
bin=target/release/postura

# Deterministic input: ~20 sentences per article, 4 in 5 mentioning the actor.
python3 - "$articles" > "$work/in.jsonl" <<'EOF'
import json, random, sys
rnd = random.Random(7)
subjects = ["El gobernador de la provincia", "La bancada oficialista", "Un grupo de alcaldes",
            "La central sindical", "El ministro de Economía", "Los dirigentes del partido"]
verbs = ["respaldó con firmeza a", "criticó con dureza a", "se reunió el martes con",
         "tomó distancia de", "elogió la gestión de", "pidió explicaciones a", "recibió en su despacho a"]
names = ["José Antonio Kast", "Kast", "el dirigente republicano", "@joseantoniokast"]
tails = ["tras la votación del presupuesto.", "en una rueda de prensa en la capital.",
         "por su postura sobre las pensiones.", "antes del debate de este jueves, según fuentes del sector.",
         "y anunció nuevas reuniones para la próxima semana."]
fillers = ["La sesión se extendió hasta pasada la medianoche.",
           "El índice de precios subió un 3,4 % en octubre.",
           "Más de 1.200 personas asistieron al acto en la plaza central."]
for i in range(int(sys.argv[1])):
    parts = []
    for _ in range(20):
        if rnd.randrange(5) == 0:
            parts.append(rnd.choice(fillers))
        else:
            parts.append(" ".join([rnd.choice(subjects), rnd.choice(verbs), rnd.choice(names), rnd.choice(tails)]))
    print(json.dumps({"id": f"gen/{i:06d}", "text": " ".join(parts)}, ensure_ascii=False))
EOF

echo "input: $articles articles, $(wc -c < "$work/in.jsonl") bytes; $(nproc) cores; $(date -u +%F)"
times=()
for r in $(seq "$repeats"); do
  start=$(date +%s.%N)
  "$bin" label --actor "José Antonio Kast" --alias Kast --alias "el dirigente republicano" \
    --alias @joseantoniokast - < "$work/in.jsonl" > "$work/out.jsonl" 2> "$work/err"
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc)")
done
tail -1 "$work/err"
labeled=$(wc -l < "$work/out.jsonl")
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "runs (s): ${times[*]}"
awk -v n="$labeled" -v t="$median" 'BEGIN {
  printf "median %.2f s for %d labeled sentences: %.0f sentences/s, %.2f million per minute\n", t, n, n / t, n / t * 60 / 1e6 }'
