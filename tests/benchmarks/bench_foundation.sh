#!/usr/bin/env bash
# Issue 2 benchmarks: demo generation, full-extent render of the city demo, cold start of the app.
# Each figure is printed with a reference measured in the same run (machines here are shared):
#   demo --size city   vs  ogr2ogr copying the generated file (same rows, GDAL's writer)
#   render (city)      vs  vanilla QGIS (python3-qgis) rendering the same stored project
#   app cold start     vs  a bare QgsApplication start in python3-qgis
# Usage: tests/benchmarks/bench_foundation.sh [BUILD_DIR] [CITY_DEMO.gpkg]   (default ./build; a given city demo skips generation)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$here/build}"
bin="$build/bin"
work="$(mktemp -d)"
trap 'rm -rf "$work"; [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null || true' EXIT
export PYTHONPATH=/usr/share/qgis/python
export QT_QPA_PLATFORM=offscreen  # the references run without a display; the app gets Xvfb below
now() { date +%s.%N; }
ratio() { /usr/bin/python3 -c "print(f'{$1/$2:.2f}')"; }

if [ -n "${2:-}" ]; then
  city="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"   # an existing city demo, only read: skip the generation figure
else
  city="$work/city.gpkg"
  echo "== demo --size city"
  t0=$(now); "$bin/statdesk-cli" demo --out "$work/city.gpkg" --size city --seed 1 >/dev/null 2>&1; t1=$(now)
  demo_s=$(/usr/bin/python3 -c "print(round($t1-$t0,2))")
  t0=$(now); ogr2ogr -f GPKG "$work/copy.gpkg" "$work/city.gpkg" -skipfailures >/dev/null 2>&1; t1=$(now)
  copy_s=$(/usr/bin/python3 -c "print(round($t1-$t0,2))")
  echo "statdesk demo city: ${demo_s} s; ogr2ogr copy of the same file: ${copy_s} s; ratio $(ratio "$demo_s" "$copy_s")"
  "$bin/statdesk-cli" info --project "$work/city.gpkg" > "$work/info.txt" 2>/dev/null; sed -n '1,12p' "$work/info.txt"
fi

echo "== full-extent render of the city demo (1600x1100)"
best=999999
for i in 1 2 3; do
  out=$("$bin/statdesk-cli" render --project "$city" --out "$work/city.png" --json 2>"$work/render.err") || { grep -v '^Warning' "$work/render.err" >&2; exit 1; }
  ms=$(echo "$out" | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['render_ms'])")
  [ "$ms" -lt "$best" ] && best=$ms
done
ref=$(/usr/bin/python3 "$here/tests/benchmarks/qgis_reference.py" render "$city" 1600 1100 2>/dev/null | /usr/bin/python3 -c "import json,sys; print(round(json.load(sys.stdin)['render_s']*1000))")
echo "statdesk render: ${best} ms (best of 3); vanilla QGIS render of the same project: ${ref} ms; ratio $(ratio "$best" "$ref")"

echo "== cold start of the app to a rendered small demo"
"$bin/statdesk-cli" demo --out "$work/small.gpkg" --size small >/dev/null 2>&1
Xvfb :97 -screen 0 1600x1000x24 >/dev/null 2>&1 & xvfb_pid=$!
sleep 1
export DISPLAY=:97
unset QT_QPA_PLATFORM
best=999
for i in 1 2 3; do
  t0=$(now); "$bin/statdesk" "$work/small.gpkg" --screenshot "$work/shot.png" >/dev/null 2>&1; t1=$(now)
  s=$(/usr/bin/python3 -c "print(round($t1-$t0,2))")
  best=$(/usr/bin/python3 -c "print(min($best,$s))")
done
qs=$(QT_QPA_PLATFORM=offscreen /usr/bin/python3 "$here/tests/benchmarks/qgis_reference.py" start 2>/dev/null | /usr/bin/python3 -c "import json,sys; print(round(json.load(sys.stdin)['qgis_start_s'],2))")
echo "statdesk cold start to rendered map: ${best} s (best of 3); bare QGIS python start: ${qs} s; ratio $(ratio "$best" "$qs")"
