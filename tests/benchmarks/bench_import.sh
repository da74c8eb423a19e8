#!/usr/bin/env bash
# Import benchmark (issue 3): a generated 1,000,000-row KCPD crime CSV in the 2025 layout, imported
# by statdesk-cli and by the reference `ogr2ogr -f GPKG out.gpkg in.csv -oo GEOM_POSSIBLE_NAMES=Location`
# in the same run. Prints both times, the ratio (target <= 1/3), our peak RSS (target <= 1 GB) and the
# re-import time of the unchanged file (target <= half of the first import).
#   usage: tests/benchmarks/bench_import.sh [BUILD_DIR] [ROWS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
rows="${2:-1000000}"
cli="$build/bin/statdesk-cli"
export STATDESK_PLUGIN_PATH="${STATDESK_PLUGIN_PATH:-$build/lib/statdesk/plugins}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" QT_QPA_PLATFORM=offscreen
mkdir -p "$HOME"

echo "generating $rows rows ..."
python3 "$here/gen_kc_crime.py" --rows "$rows" --out "$work/crime_2025.csv"
ls -l "$work/crime_2025.csv" | awk '{ printf "input: %.0f MB\n", $5 / 1e6 }'

measure() { # label, command...: prints "seconds rss_kb"
  local label="$1"; shift
  /usr/bin/time -v "$@" > "$work/$label.out" 2> "$work/$label.time" || { cat "$work/$label.time" >&2; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/$label.time")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$label.time")
  echo "$wall $rss"
}

"$cli" new --out "$work/p.gpkg" --name "Kansas City" --crs EPSG:26915 > /dev/null
read -r ours ours_rss < <(measure ours "$cli" import --project "$work/p.gpkg" --kind crime "$work/crime_2025.csv" --json)
read -r again again_rss < <(measure again "$cli" import --project "$work/p.gpkg" --kind crime "$work/crime_2025.csv" --json)
read -r ogr ogr_rss < <(measure ogr ogr2ogr -f GPKG "$work/ogr.gpkg" "$work/crime_2025.csv" -oo GEOM_POSSIBLE_NAMES=Location)

python3 - "$work/ours.out" "$work/again.out" <<PY
import json, sys
first, again = (json.load(open(p)) for p in sys.argv[1:3])
print("first import: rows %d, offenses imported %d, merged %d, rejected %d, without location %d"
      % (first["rows_read"], first["imported"], first["merged"], first["rejected"], first["without_location"]))
print("re-import:    unchanged %d, updated %d, imported %d" % (again["unchanged"], again["updated"], again["imported"]))
PY
awk -v o="$ours" -v r="$ogr" -v a="$again" -v m="$ours_rss" -v m2="$again_rss" -v mo="$ogr_rss" 'BEGIN {
  printf "statdesk import:   %6.2f s  peak RSS %5.0f MB\n", o, m / 1024
  printf "ogr2ogr reference: %6.2f s  peak RSS %5.0f MB\n", r, mo / 1024
  printf "ratio statdesk/ogr2ogr: %.3f (target <= 0.333)\n", o / r
  printf "re-import:         %6.2f s  peak RSS %5.0f MB, %.2f of the first import (target <= 0.5)\n", a, m2 / 1024, a / o
}'
