#!/usr/bin/env bash
# Issue 5 (clustering panel) figures on the `city` demo: what a clustering run with cluster cards,
# saving it in the project and exporting it costs on top of the bare engine run, each measured in
# the same script (machines here are shared, so compare within a run):
#   DBSCAN, violent offenses of one year (eps 100, min 5):   engine only  vs  + cards + save + GeoPackage export
#   persistence, all violent offenses (150 m cells, 28 days): engine only  vs  + save (every non-empty cell)
#   clusters briefing of the saved DBSCAN run: seconds per page
# Times are wall-clock of the whole CLI process (QGIS start-up included); peak memory from /usr/bin/time.
# Usage: tests/benchmarks/bench_cluster_runs.sh [BUILD_DIR] [CITY_DEMO.gpkg]
#   (default ./build; the city demo is generated with seed 1 when not given; a given file is copied, not changed)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$here/build}"
bin="$build/bin"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
secs() { /usr/bin/python3 -c "print(round($2-$1,2))"; }
field() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

project="$work/city.gpkg"
if [ -n "${2:-}" ]; then
  cp "$2" "$project"
else
  echo "== generating the city demo (seed 1)"
  "$bin/statdesk-cli" demo --out "$project" --size city --seed 1 >/dev/null 2>&1
fi
year=$(sqlite3 "$project" "SELECT substr(max(occurred_at), 1, 4) FROM incidents")

# run NAME ARGS...: wall seconds and peak RSS of one CLI call, its JSON kept in $work/NAME.json
run() {
  local name=$1
  shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/$name.mem" "$bin/statdesk-cli" "$@" --json >"$work/$name.json" 2>"$work/$name.err" || {
    cat "$work/$name.err"
    exit 1
  }
  t1=$(date +%s.%N)
  echo "$(secs "$t0" "$t1") s, peak $(($(tail -1 "$work/$name.mem") / 1024)) MB"
}

dbscan=(cluster --method dbscan --project "$project" --filter "violent = 1" --from "$year-01-01" --to "$year-12-31" --eps 100 --min 5)
echo "== DBSCAN, violent offenses of $year"
echo "engine only:                  $(run dbscan_engine "${dbscan[@]}")"
echo "cards + save + gpkg export:   $(run dbscan_saved "${dbscan[@]}" --save --export "$work/clusters.gpkg")"
echo "points $(field "['input_points']" <"$work/dbscan_saved.json"), clusters $(field "['clusters']" <"$work/dbscan_engine.json"), exported $(ogrinfo -ro -so "$work/clusters.gpkg" clusters | sed -n 's/Feature Count: //p') features"
echo "inside the run: $(field "['timings']" <"$work/dbscan_saved.json")"

persistence=(cluster --method persistence --project "$project" --filter "violent = 1" --cell 150)
echo "== persistence, all violent offenses, 150 m cells, 28-day periods"
echo "engine only:                  $(run persistence_engine "${persistence[@]}")"
echo "clusters + cards + save:      $(run persistence_saved "${persistence[@]}" --save)"
echo "cells saved $(sqlite3 "$project" "SELECT count(*) FROM cluster_cells"), persistence clusters $(sqlite3 "$project" "SELECT clusters FROM cluster_runs WHERE method = 'persistence'")"
echo "inside the run: $(field "['timings']" <"$work/persistence_saved.json")"

# The briefing takes the latest saved run with clusters: save the DBSCAN run again after the persistence run.
run dbscan_again "${dbscan[@]}" --save >/dev/null
echo "== clusters briefing of the saved DBSCAN run"
t0=$(date +%s.%N)
"$bin/statdesk-cli" briefing --project "$project" --template clusters --out "$work/clusters.pdf" --json >"$work/briefing.json" 2>/dev/null
t1=$(date +%s.%N)
s=$(secs "$t0" "$t1")
pages=$(field "['pages']" <"$work/briefing.json")
echo "clusters briefing: ${s} s for ${pages} pages ($(/usr/bin/python3 -c "print(round($s/$pages,2))") s/page), $(($(stat -c %s "$work/clusters.pdf") / 1024)) KB"
