#!/usr/bin/python3
"""Knox near-repeat and Getis-Ord Gi* benchmarks (issue 5), each with its reference in the same run.

Knox: 20,000 clustered events over two years (near-repeat contagion planted), 5 x 100 m bands and
5 x 14-day bands, 999 permutations. Ours: `statdesk-cli cluster --method knox` (whole process and the
engine time it reports). Reference: a straightforward NumPy/SciPy permutation test (KD-tree pairs
within the largest band, dates permuted over the fixed locations, 2-D histogram per permutation; the
'more than' row from the permutation-invariant totals). The observed table must be equal.

Gi*: a 387 x 387 grid of 150 m cells (149,769 cells) from 400,000 clustered points, queen band
(cell x sqrt 2), FDR bins. Ours: `statdesk-cli cluster --method gistar` with the cells written to CSV.
Reference: R spdep (dnearneigh on the cell centres, include.self, binary weights, localG), the
reference named in the issue; --skip-r replaces it with the same statistic in SciPy (sparse weights),
which is also used to check our z-scores (max |dz|).

Targets (issue 5): Knox <= 2 s; Gi* with its neighbours <= 1 s. Other processes share the machine: the
load average is printed with each timed part.

Usage: /usr/bin/python3 tests/benchmarks/bench_knox_gistar.py [--build DIR] [--skip-r] [--skip-knox-reference]
Needs Debian's python3-numpy, python3-scipy, r-cran-spdep (unless --skip-r) and /usr/bin/time.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree
from scipy.stats import norm

HERE = os.path.dirname(os.path.abspath(__file__))
DAY = 86400.0


def load():
    return f"load {os.getloadavg()[0]:.1f}"


def run_cli(cli, args):
    """(wall s, CPU s, peak MB, parsed JSON) of one statdesk-cli run."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v", cli] + args, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit("statdesk-cli failed: " + p.stderr[-2000:])
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", p.stderr).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", p.stderr).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    return wall, user + system, rss, json.loads(p.stdout)


# ---------------------------------------------------------------------------------------------
# Knox


def knox_events(n, rng):
    """Events in a 20 x 20 km city over two years: 40% background, 60% in 'shooting sprees'
    (a seed event and followers within ~100 m and ~10 days)."""
    n_bg = int(n * 0.4)
    xy = [rng.uniform(0, 20000, (n_bg, 2))]
    t = [rng.uniform(0, 730 * DAY, n_bg)]
    left = n - n_bg
    while left > 0:
        k = min(left, int(rng.integers(2, 8)))
        centre = rng.uniform(0, 20000, 2)
        start = rng.uniform(0, 700 * DAY)
        xy.append(centre + rng.normal(0, 60, (k, 2)))
        t.append(start + np.sort(rng.exponential(8 * DAY, k)))
        left -= k
    xy = np.round(np.vstack(xy), 2)
    t = np.round(np.concatenate(t), 0)
    return xy[:, 0], xy[:, 1], t


def knox_reference(x, y, t, dband, dbands, tband_days, tbands, iterations, seed):
    """Observed table and p-values by a plain permutation test; intervals (a, b], 'same location' = 0."""
    n = len(x)
    tree = cKDTree(np.c_[x, y])
    pairs = tree.query_pairs(dband * dbands, output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    d = np.hypot(x[i] - x[j], y[i] - y[j])
    # distance row: 0 = same location, 1..dbands = (a, b]
    drow = np.where(d == 0, 0, np.ceil(d / dband).astype(np.int64))
    drow = np.minimum(drow, dbands)
    ncol = tbands + 1

    def table(times):
        gap = np.abs(times[i] - times[j]) / DAY
        col = np.maximum(np.ceil(gap / tband_days).astype(np.int64) - 1, 0)
        col = np.minimum(col, tbands)
        return np.bincount(drow * ncol + col, minlength=(dbands + 1) * ncol).reshape(dbands + 1, ncol)

    # The time-gap totals over all pairs do not change under permutation: the 'more than' row is
    # those totals minus the near pairs.
    order = np.sort(t)
    totals = np.zeros(ncol, dtype=np.int64)
    edges = [tband_days * DAY * k for k in range(1, tbands + 1)]
    # pairs with gap <= edge, by a sorted sweep
    le = []
    for e in edges:
        le.append(int(np.sum(np.searchsorted(order, order + e, side="right") - np.arange(1, n + 1))))
    prev = 0
    for k, c in enumerate(le):
        totals[k] = c - prev
        prev = c
    totals[tbands] = n * (n - 1) // 2 - prev

    observed = table(t)
    obs_full = np.vstack([observed, totals - observed.sum(axis=0)])
    rng = np.random.default_rng(seed)
    at_least = np.zeros_like(obs_full)
    expected = np.zeros(obs_full.shape, dtype=np.float64)
    for _ in range(iterations):
        perm = table(t[rng.permutation(n)])
        full = np.vstack([perm, totals - perm.sum(axis=0)])
        at_least += full >= obs_full
        expected += full
    p = (at_least + 1) / (iterations + 1)
    return obs_full, expected / iterations, p


# ---------------------------------------------------------------------------------------------
# Gi*


def gistar_points(n, side, rng):
    n_hot = int(n * 0.5)
    centres = rng.uniform(0, side, (600, 2))
    which = rng.integers(0, 600, n_hot)
    hot = centres[which] + rng.normal(0, 400, (n_hot, 2))
    spread = rng.uniform(0, side, (n - n_hot, 2))
    pts = np.clip(np.vstack([hot, spread]), 0, side - 0.01)
    return np.round(pts, 2)


def gistar_scipy(cx, cy, counts, band):
    """Gi* with binary weights within band, the cell itself included (spec formula)."""
    n = len(counts)
    tree = cKDTree(np.c_[cx, cy])
    w = tree.sparse_distance_matrix(tree, band * (1 + 1e-9), output_type="coo_matrix")
    w = sparse.csr_matrix((np.ones(w.nnz), (w.row, w.col)), shape=(n, n))
    w = w + sparse.identity(n, format="csr")  # self (distance 0 is not stored by the sparse matrix)
    w.data[:] = 1.0
    x = counts.astype(np.float64)
    xbar = x.mean()
    s = np.sqrt((x * x).mean() - xbar * xbar)
    wsum = np.asarray(w.sum(axis=1)).ravel()
    num = w @ x - xbar * wsum
    den = s * np.sqrt((n * wsum - wsum * wsum) / (n - 1))  # binary weights: sum w^2 = sum w
    return num / den


R_SPDEP = r"""
suppressMessages(library(spdep))
d <- read.csv(commandArgs(TRUE)[1])
band <- as.numeric(commandArgs(TRUE)[2])
t0 <- Sys.time()
nb <- include.self(dnearneigh(cbind(d$cx, d$cy), 0, band * (1 + 1e-9)))
t1 <- Sys.time()
z <- as.numeric(localG(d$count, nb2listw(nb, style = "B")))
t2 <- Sys.time()
cat(sprintf("%.3f %.3f\n", as.numeric(t1 - t0, units = "secs"), as.numeric(t2 - t1, units = "secs")))
write.csv(data.frame(z = z), commandArgs(TRUE)[3], row.names = FALSE)
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(HERE, "..", "..", "build"))
    ap.add_argument("--events", type=int, default=20000)
    ap.add_argument("--iterations", type=int, default=999)
    ap.add_argument("--skip-r", action="store_true")
    ap.add_argument("--skip-knox-reference", action="store_true")
    args = ap.parse_args()
    cli = os.path.join(os.path.abspath(args.build), "bin", "statdesk-cli")
    if not os.path.exists(cli):
        sys.exit(f"{cli} not built")
    rng = np.random.default_rng(2026)
    with tempfile.TemporaryDirectory() as tmp:
        # ---- Knox
        x, y, t = knox_events(args.events, rng)
        kcsv = os.path.join(tmp, "events.csv")
        np.savetxt(kcsv, np.c_[x, y, t], fmt=["%.2f", "%.2f", "%.0f"], delimiter=",", header="x,y,t", comments="")
        print(f"Knox: {len(x):,} events, 5 x 100 m, 5 x 14 days, {args.iterations} permutations")
        before = load()
        wall, cpu, rss, out = run_cli(cli, ["cluster", "--method", "knox", "--input", kcsv, "--x", "x", "--y", "y", "--t", "t",
                                            "--iterations", str(args.iterations), "--json"])
        print(f"  statdesk-cli knox: {wall:.2f} s wall, {cpu:.2f} s CPU (engine {out['seconds']:.2f} s), peak {rss:.0f} MB; {before} -> {load()}  [target <= 2 s]")
        print(f"  {out['narrative']}")
        if not args.skip_knox_reference:
            before = load()
            t0 = time.perf_counter()
            obs, _, _ = knox_reference(x, y, t, 100.0, 5, 14.0, 5, args.iterations, 7)
            ref = time.perf_counter() - t0
            ours = np.array(out["observed"], dtype=np.int64)
            print(f"  NumPy/SciPy permutation reference: {ref:.2f} s; {before} -> {load()}; observed tables equal: {np.array_equal(ours, obs)}")
            print(f"  ratio statdesk whole process / reference: {wall / ref:.3f} (reference {ref / wall:.1f}x slower)")

        # ---- Gi*
        cell, cols = 150.0, 387
        side = cell * cols
        pts = gistar_points(400000, side, rng)
        # one point at each far corner so that the grid spans exactly cols x cols cells from (0, 0)
        pts = np.vstack([pts, [[0.0, 0.0], [side - 0.01, side - 0.01]]])
        gcsv = os.path.join(tmp, "points.csv")
        np.savetxt(gcsv, pts, fmt="%.2f", delimiter=",", header="x,y", comments="")
        cells_csv = os.path.join(tmp, "cells.csv")
        print(f"Gi*: {len(pts):,} points on a {cols} x {cols} grid of {cell:.0f} m cells, queen band, FDR bins")
        before = load()
        wall, cpu, rss, out = run_cli(cli, ["cluster", "--method", "gistar", "--input", gcsv, "--x", "x", "--y", "y", "--cell", str(cell),
                                            "--fdr", "--cells", cells_csv, "--json"])
        grid = out["grid"]
        ncell = grid["columns"] * grid["rows"]
        print(f"  statdesk-cli gistar: {wall:.2f} s wall, {cpu:.2f} s CPU (engine incl. neighbours {out['seconds']:.3f} s), "
              f"{grid['columns']} x {grid['rows']} = {ncell:,} cells, peak {rss:.0f} MB; {before} -> {load()}  [target <= 1 s]")
        with open(cells_csv) as f:
            rows = list(csv.DictReader(f))
        keys = rows[0].keys()
        idcol = "cell" if "cell" in keys else ("id" if "id" in keys else list(keys)[0])
        if len(rows) != ncell:
            sys.exit(f"cells CSV has {len(rows)} rows, expected {ncell}; columns {list(keys)}")
        ids = np.array([int(r[idcol]) for r in rows])
        order = np.argsort(ids)
        counts = np.array([int(float(r["count"])) for r in rows])[order]
        z_ours = np.array([float(r["z"]) for r in rows])[order]
        cx = (np.arange(ncell) % grid["columns"]) * cell + grid["origin_x"] + cell / 2
        cy = (np.arange(ncell) // grid["columns"]) * cell + grid["origin_y"] + cell / 2
        band = cell * np.sqrt(2)
        t0 = time.perf_counter()
        z_ref = gistar_scipy(cx, cy, counts, band)
        sp = time.perf_counter() - t0
        print(f"  SciPy reference (sparse weights): {sp:.2f} s; max |z - z_scipy| = {np.max(np.abs(z_ours - z_ref)):.2e}")
        if not args.skip_r:
            ccsv = os.path.join(tmp, "cells_for_r.csv")
            np.savetxt(ccsv, np.c_[cx, cy, counts], fmt=["%.2f", "%.2f", "%d"], delimiter=",", header="cx,cy,count", comments="")
            script = os.path.join(tmp, "gistar.R")
            with open(script, "w") as f:
                f.write(R_SPDEP)
            zr_csv = os.path.join(tmp, "z_r.csv")
            before = load()
            t0 = time.perf_counter()
            p = subprocess.run(["Rscript", script, ccsv, repr(band), zr_csv], capture_output=True, text=True)
            rwall = time.perf_counter() - t0
            if p.returncode != 0:
                print("  R spdep failed: " + p.stderr[-500:])
            else:
                nb_s, g_s = (float(v) for v in p.stdout.split()[:2])
                z_r = np.loadtxt(zr_csv, delimiter=",", skiprows=1)
                print(f"  R spdep: dnearneigh {nb_s:.1f} s + localG {g_s:.2f} s ({rwall:.1f} s with R start-up); {before} -> {load()}; "
                      f"max |z - z_spdep| = {np.max(np.abs(z_ours - z_r)):.2e}")
                print(f"  ratio statdesk whole process / spdep (neighbours + localG): {wall / (nb_s + g_s):.4f}")


if __name__ == "__main__":
    main()
