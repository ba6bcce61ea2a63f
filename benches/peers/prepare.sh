# Sourced by run.sh, speed.sh and cv.sh: sets HERE and ROOT, exits 0 with a message when the
# data directory ($POSTURA_DATA, else ../shared/data beside the repository root) is missing,
# then sets up the peers' venv and builds postura (release).
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${POSTURA_DATA:-$ROOT/../shared/data}"
if [[ ! -d "$DATA" ]]; then
    echo "$(basename "$0"): data directory $DATA not found (set POSTURA_DATA to override); nothing to measure"
    exit 0
fi
"$HERE/setup.sh"
(cd "$ROOT" && cargo build --release --quiet)
