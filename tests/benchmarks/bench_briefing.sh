#!/usr/bin/env bash
# Issue 7 benchmarks: PDF briefings of the `city` demo, each with a reference measured in the same run
# (machines here are shared):
#   citywide page (target <= 10 s)          vs  `statdesk-cli render` of the same project (same layers, full extent)
#   13-page neighborhood atlas (<= 30 s)    vs  13 x the citywide time is NOT used: the reference is the
#                                               same render command, and the per-page time is printed
#   the same atlas with a grants ledger (13 active grants) so that the grants section does its work
# Times are wall-clock of the whole CLI process (QGIS start-up included) and the export time reported
# by the command itself (--json elapsed_ms). File sizes and page counts are printed too.
# Usage: tests/benchmarks/bench_briefing.sh [BUILD_DIR] [CITY_DEMO.gpkg]
#   (default ./build; the city demo is generated with seed 1 when not given)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$here/build}"
bin="$build/bin"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
secs() { /usr/bin/python3 -c "print(round($2-$1,2))"; }
ratio() { /usr/bin/python3 -c "print(f'{$1/$2:.2f}')"; }
field() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

project="${2:-}"
if [ -z "$project" ]; then
  echo "== generating the city demo (seed 1)"
  project="$work/city.gpkg"
  "$bin/statdesk-cli" demo --out "$project" --size city --seed 1 >/dev/null 2>&1
fi
"$bin/statdesk-cli" info --project "$project" 2>/dev/null | sed -n '1,8p' || true

echo "== reference: statdesk-cli render (1600x1100, full extent, all layers)"
t0=$(now); "$bin/statdesk-cli" render --project "$project" --out "$work/ref.png" >/dev/null 2>&1; t1=$(now)
ref_s=$(secs "$t0" "$t1")
echo "render: ${ref_s} s"

echo "== citywide briefing (restricted; letter landscape)"
t0=$(now); json=$("$bin/statdesk-cli" briefing --project "$project" --template citywide --out "$work/citywide.pdf" --json 2>/dev/null); t1=$(now)
cw_s=$(secs "$t0" "$t1")
echo "citywide: ${cw_s} s wall (export $(echo "$json" | field "['elapsed_ms']") ms), $(echo "$json" | field "['pages']") page, $(( $(stat -c %s "$work/citywide.pdf") / 1024 )) KB; target <= 10 s; vs render $(ratio "$cw_s" "$ref_s")x"

echo "== citywide briefing (public)"
t0=$(now); json=$("$bin/statdesk-cli" briefing --project "$project" --template citywide --public --out "$work/citywide_public.pdf" --json 2>/dev/null); t1=$(now)
pub_s=$(secs "$t0" "$t1")
echo "citywide public: ${pub_s} s wall, $(( $(stat -c %s "$work/citywide_public.pdf") / 1024 )) KB, cells shown $(echo "$json" | field "['public_aggregation']['cells_shown']"), suppressed $(echo "$json" | field "['public_aggregation']['cells_suppressed']")"

echo "== neighborhood atlas (restricted)"
t0=$(now); json=$("$bin/statdesk-cli" briefing --project "$project" --template neighborhoods --out "$work/atlas.pdf" --json 2>/dev/null); t1=$(now)
at_s=$(secs "$t0" "$t1")
pages=$(echo "$json" | field "['pages']")
echo "atlas: ${at_s} s wall for ${pages} pages ($(/usr/bin/python3 -c "print(round($at_s/$pages,2))") s/page), $(( $(stat -c %s "$work/atlas.pdf") / 1024 )) KB; target <= 30 s; vs render $(ratio "$at_s" "$ref_s")x"

echo "== neighborhood atlas with a grants ledger (13 active grants: budget, milestones, outcome since the start)"
cp "$project" "$work/ledger.gpkg"
"$bin/statdesk-cli" grants program --project "$work/ledger.gpkg" --name "Neighborhood Pilot Grant" --cap 20,000.00 --budget 300,000.00 >/dev/null 2>&1
/usr/bin/python3 - "$work/ledger.gpkg" "$work/grants.csv" <<'PY'
import csv, sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT nbh_id, name FROM neighborhoods WHERE is_grant = 1 ORDER BY name").fetchall()
with open(sys.argv[2], 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['program', 'nbh_id', 'grantee', 'category', 'award', 'status', 'start_date', 'end_date', 'disbursed'])
    for i, (nbh, name) in enumerate(rows):
        w.writerow(['Neighborhood Pilot Grant', nbh, name + ' Association', 'lot clean-up', '18,500.00', 'active', '2025-03-01', '2026-02-28', '%d.00' % (5000 + 250 * i)])
PY
"$bin/statdesk-cli" grants import --project "$work/ledger.gpkg" --input "$work/grants.csv" >/dev/null 2>&1
"$bin/statdesk-cli" grants milestone --project "$work/ledger.gpkg" --grant 1 --title "Lot cleanup" --due 2025-06-30 >/dev/null 2>&1
t0=$(now); json=$("$bin/statdesk-cli" briefing --project "$work/ledger.gpkg" --template neighborhoods --out "$work/atlas_ledger.pdf" --json 2>/dev/null); t1=$(now)
gl_s=$(secs "$t0" "$t1")
echo "atlas with ledger: ${gl_s} s wall for $(echo "$json" | field "['pages']") pages, sections $(echo "$json" | field "['sections']"), $(( $(stat -c %s "$work/atlas_ledger.pdf") / 1024 )) KB; target <= 30 s; vs render $(ratio "$gl_s" "$ref_s")x"

if command -v pdffonts >/dev/null; then
  echo "== fonts of the citywide page (all must be embedded)"
  pdffonts "$work/citywide.pdf"
fi
