#!/usr/bin/python3
"""RTM benchmark at Kansas City scale (issue 4), with R's cv.glmnet as the named reference.

Builds a synthetic project: a square study area of ~150,000 cells (60 m cells, 120 m blocks),
30 point risk factors in service_requests (request_type F01..F30, 300-3000 points each, half of them
clustered), violent incidents over three years with planted relative risks for F01-F03.
Runs `statdesk-cli rtm` with every factor as Both, 3 blocks, half-block increments
(30 x 2 x 6 = 360 candidate variables) end to end, recording wall time and peak memory; then times
R cv.glmnet(family="poisson", alpha=0.5, nfolds=10) on the exported design matrix and prints the ratio
of our elastic-net cross-validation time to R's (same matrix, same machine, same script run).
Other processes share the machine: the load average before and after each timed part is printed.

Needs (Debian): python3-numpy, python3-scipy, python3-pandas, r-base-core, r-cran-glmnet.
Usage: /usr/bin/python3 tests/benchmarks/bench_rtm.py [--build BUILD_DIR] [--work DIR] [--reuse] [--no-r]
  --reuse  keep WORK/bench.gpkg from an earlier run (same generator, same seed) instead of rebuilding it
"""
import argparse, json, os, re, sqlite3, struct, subprocess, sys, tempfile, time
import numpy as np
from scipy.spatial import cKDTree

ap = argparse.ArgumentParser()
ap.add_argument("--build", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "build"))
ap.add_argument("--work", default=None)
ap.add_argument("--no-r", action="store_true")
ap.add_argument("--reuse", action="store_true")
ap.add_argument("--side-cells", type=int, default=387)   # 387^2 = 149,769 cells
args = ap.parse_args()
cli = os.path.join(args.build, "bin", "statdesk-cli")
work = args.work or tempfile.mkdtemp(prefix="bench_rtm_")
os.makedirs(work, exist_ok=True)
proj = os.path.join(work, "bench.gpkg")
reuse = args.reuse and os.path.exists(proj)
if os.path.exists(proj) and not reuse:
    os.remove(proj)
if not reuse:
    subprocess.run([cli, "new", "--out", proj, "--name", "Bench", "--crs", "EPSG:26915"], check=True, stdout=subprocess.DEVNULL)


def load():
    return "load average %.1f" % os.getloadavg()[0]


CELL, BL = 60.0, 120.0
X0, Y0 = 360000.0, 4300000.0
side = args.side_cells * CELL
rng = np.random.default_rng(42)


def envelope(blob):
    flags = blob[3]
    code = (flags >> 1) & 7
    le = "<" if flags & 1 else ">"
    if code >= 1:
        minx, maxx, miny, maxy = struct.unpack(le + "4d", blob[8:40])
        return minx, maxx, miny, maxy
    off = 8
    x, y = struct.unpack(("<" if blob[off] == 1 else ">") + "2d", blob[off + 5:off + 21])
    return x, x, y, y


def point_blob(srs, x, y):
    return b"GP" + bytes([0, 1]) + struct.pack("<i", srs) + struct.pack("<BIdd", 1, 1, x, y)


def polygon_blob(srs, ring):
    xs = [p[0] for p in ring]; ys = [p[1] for p in ring]
    head = b"GP" + bytes([0, 3]) + struct.pack("<i", srs) + struct.pack("<4d", min(xs), max(xs), min(ys), max(ys))
    wkb = struct.pack("<BIII", 1, 3, 1, len(ring)) + b"".join(struct.pack("<2d", *p) for p in ring)
    return head + wkb


if not reuse:
    con = sqlite3.connect(proj)
    for name, idx in (("ST_MinX", 0), ("ST_MaxX", 1), ("ST_MinY", 2), ("ST_MaxY", 3)):
        con.create_function(name, 1, lambda b, i=idx: envelope(b)[i] if b else None, deterministic=True)
    con.create_function("ST_IsEmpty", 1, lambda b: 0 if b else 1, deterministic=True)
    srs = con.execute("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name='incidents'").fetchone()[0]
    cur = con.cursor()
    cur.execute("BEGIN")
    cur.execute("INSERT INTO boundaries(geom, boundary_id, kind, name, source) VALUES (?,?,?,?,?)",
                (polygon_blob(srs, [(X0, Y0), (X0 + side, Y0), (X0 + side, Y0 + side), (X0, Y0 + side), (X0, Y0)]), "city", "city", "Bench", "bench"))
    factors = []
    for f in range(30):
        n = int(rng.integers(300, 3000))
        if f % 2:
            centres = rng.uniform(0, side, size=(12, 2))
            pts = centres[rng.integers(0, 12, n)] + rng.normal(0, 600, size=(n, 2))
            pts = np.clip(pts, 0, side - 1)
        else:
            pts = rng.uniform(0, side, size=(n, 2))
        pts += (X0, Y0)
        factors.append(pts)
        code = "F%02d" % (f + 1)
        cur.executemany("INSERT INTO service_requests(geom, case_id, request_type, created_at) VALUES (?,?,?,?)",
                        [(point_blob(srs, x, y), "%s-%d" % (code, i), code, "2023-01-01T00:00:00-06:00") for i, (x, y) in enumerate(pts)])
    # Planted outcome per cell.
    cx, cy = np.meshgrid(X0 + (np.arange(args.side_cells) + 0.5) * CELL, Y0 + (np.arange(args.side_cells) + 0.5) * CELL)
    centres = np.column_stack([cx.ravel(), cy.ravel()])
    planted = [(0, 120.0, 2.0), (1, 240.0, 1.6), (2, 120.0, 1.8)]
    mu = np.full(len(centres), 0.06)
    for f, d, rr in planted:
        dist, _ = cKDTree(factors[f]).query(centres, distance_upper_bound=d + 1e-6)
        mu *= np.where(dist <= d + 1e-6, rr, 1.0)
    rows = []
    k = 0
    for year in (2023, 2024, 2025):
        counts = rng.poisson(mu)
        for c in np.nonzero(counts)[0]:
            for _ in range(counts[c]):
                x = centres[c, 0] + rng.uniform(-29.9, 29.9); y = centres[c, 1] + rng.uniform(-29.9, 29.9)
                rows.append((point_blob(srs, x, y), "B%d" % k, 1, "%d-06-15T12:00:00-05:00" % year)); k += 1
    cur.executemany("INSERT INTO incidents(geom, offense_key, violent, occurred_at) VALUES (?,?,?,?)", rows)
    con.commit()
    con.close()
    print("project: %s (%d cells, %d incidents, %d factor points)" % (proj, len(centres), len(rows), sum(len(p) for p in factors)))
else:
    print("project: %s (reused)" % proj)

design_dir = os.path.join(work, "design")
cmd = [cli, "rtm", "--project", proj, "--json", "--block-length", "120", "--cell-size", "60",
       "--from", "2023-01-01", "--to", "2024-12-31", "--test-from", "2025-01-01", "--test-to", "2025-12-31"]
for f in range(30):
    cmd += ["--factor", "name=f%02d;layer=service_requests;filter=request_type = 'F%02d';op=both;blocks=3;increment=half" % (f + 1, f + 1)]
load0 = load()
t0 = time.time()
run = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "--"] + cmd, capture_output=True, text=True)
wall = time.time() - t0
if run.returncode != 0:
    sys.exit("statdesk-cli rtm failed: " + run.stderr)
peak_kb, user_s, sys_s = run.stderr.strip().splitlines()[-1].split()
peak_mb = int(peak_kb) / 1024
res = json.loads(run.stdout)
print("statdesk rtm end to end: %.1f s wall (%.1f s CPU), peak RSS %.0f MB (targets: <= 30 s, <= 2048 MB); %s before, %s after" % (
    wall, float(user_s) + float(sys_s), peak_mb, load0, load()))
print("  stages: " + ", ".join("%s %.2f s" % kv for kv in sorted(res["timings"].items())))
print("  candidates %d (+%d dropped), elastic net kept %d, family %s, model: %s" % (
    res["candidates"], res["candidates_dropped"], res["enet_selected"], res["family"],
    ", ".join("%s RRV %.2f" % (t["variable"], t["rrv"]) for t in res["model"])))

if args.no_r:
    sys.exit(0)
# Same design matrix for R (export outside the timed runs).
subprocess.run(cmd + ["--export-design", design_dir], check=True, stdout=subprocess.DEVNULL)
import pandas as pd
df = pd.read_csv(os.path.join(design_dir, "rtm_design.csv"))
xcols = [c for c in df.columns if re.match(r"r\d+[pd]\d+_", c)]
df[xcols].to_numpy(dtype=np.float64).T.tofile(os.path.join(work, "x.bin"))
df["count"].to_numpy(dtype=np.float64).tofile(os.path.join(work, "y.bin"))
rscript = """
suppressMessages(library(glmnet))
n <- %d; p <- %d
x <- matrix(readBin("%s", "double", n * p), n, p)
y <- readBin("%s", "double", n)
set.seed(1)
t <- system.time(cv <- cv.glmnet(x, y, family = "poisson", alpha = 0.5, nfolds = 10))[["elapsed"]]
cat(t, sum(coef(cv, s = "lambda.min")[-1] != 0), length(cv$lambda), cv$lambda.min, "\\n")
""" % (len(df), len(xcols), os.path.join(work, "x.bin"), os.path.join(work, "y.bin"))
load0 = load()
r = subprocess.run(["Rscript", "-e", rscript], capture_output=True, text=True, check=True)
r_time, r_nz, r_nl, r_lmin = r.stdout.split()
ours = res["timings"]["elastic_net_cv"]
print("R cv.glmnet: %s lambdas, lambda.min %.4g, %s variables selected; %s before, %s after" % (r_nl, float(r_lmin), r_nz, load0, load()))
print("statdesk elastic-net CV: lambda.min %.4g, %d variables selected" % (res["lambda_min"], res["enet_selected"]))
print("elastic-net CV on %d x %d: statdesk %.1f s, R cv.glmnet %.1f s: ratio %.3f (target <= 0.2)" % (
    len(df), len(xcols), ours, float(r_time), ours / float(r_time)))
