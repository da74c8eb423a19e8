#!/usr/bin/python3
"""DBSCAN benchmark (issue 5): 1,000,000 clustered points, eps 50 m, min 5.

Times, in the same run and on the same points:
  - statdesk-cli cluster --method dbscan (the whole process: start, CSV read, clustering, labels
    written; median of --repeat runs), with its peak RSS from /usr/bin/time -v, and the engine
    time it reports;
  - QGIS 3.22 native:dbscanclustering (processing algorithm only, memory layer already loaded);
  - scikit-learn DBSCAN (fit only);
then checks the partitions agree (sklearn: identical labels; QGIS: same noise, same core
partition up to border points) and prints the ratios.

Usage: /usr/bin/python3 tests/benchmarks/bench_dbscan.py [--build DIR] [--points N] [--repeat 3] [--skip-sklearn] [--skip-qgis]
Needs Debian's python3-sklearn, python3-qgis (for the QGIS reference) and /usr/bin/time.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def generate(n, path, seed=2026):
    """A 30 x 30 km city: 70% of the points in 4000 Gaussian hot spots (sigma 20-250 m), 30% spread."""
    rng = np.random.default_rng(seed)
    n_clustered = int(n * 0.7)
    centres = rng.uniform(0, 30000, (4000, 2))
    sigma = rng.uniform(20, 250, 4000)
    which = rng.integers(0, 4000, n_clustered)
    clustered = centres[which] + rng.normal(0, 1, (n_clustered, 2)) * sigma[which, None]
    spread = rng.uniform(0, 30000, (n - n_clustered, 2))
    pts = np.round(np.vstack([clustered, spread]), 2)
    rng.shuffle(pts)
    np.savetxt(path, pts, fmt="%.2f", delimiter=",", header="x,y", comments="")
    return pts


def run_ours(cli, csv, labels, eps, min_points):
    cmd = ["/usr/bin/time", "-v", cli, "cluster", "--method", "dbscan", "--input", csv, "--x", "x", "--y", "y",
           "--eps", str(eps), "--min", str(min_points), "--labels", labels, "--json"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit("statdesk-cli failed: " + p.stderr)
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    cpu = float(re.search(r"User time \(seconds\): ([0-9.]+)", p.stderr).group(1)) + \
        float(re.search(r"System time \(seconds\): ([0-9.]+)", p.stderr).group(1))
    summary = json.loads(p.stdout)
    lab = np.genfromtxt(labels, delimiter=",", skip_header=1, usecols=1, filling_values=0).astype(np.int64) - 1
    return wall, cpu, summary["seconds"], rss_kb / 1024.0, summary, lab


QGIS_SCRIPT = r"""
import sys, time, json
import numpy as np
from qgis.core import (QgsApplication, QgsVectorLayer, QgsFeature, QgsGeometry, QgsPointXY, QgsProcessingContext,
                       QgsProcessingFeedback, QgsField, QgsFields)
from qgis.PyQt.QtCore import QVariant
QgsApplication.setPrefixPath('/usr', True)
app = QgsApplication([], False)
app.initQgis()
from qgis.analysis import QgsNativeAlgorithms
QgsApplication.processingRegistry().addProvider(QgsNativeAlgorithms())
pts = np.loadtxt(sys.argv[1], delimiter=',', skiprows=1)
layer = QgsVectorLayer('Point?crs=EPSG:26915&field=idx:integer', 'pts', 'memory')
feats = []
for i, (x, y) in enumerate(pts):
    f = QgsFeature(layer.fields())
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
    f.setAttribute(0, i)
    feats.append(f)
layer.dataProvider().addFeatures(feats)
alg = QgsApplication.processingRegistry().algorithmById('native:dbscanclustering')
ctx = QgsProcessingContext()
fb = QgsProcessingFeedback()
params = {'INPUT': layer, 'EPS': float(sys.argv[2]), 'MIN_SIZE': int(sys.argv[3]), 'DBSCAN*': False,
          'FIELD_NAME': 'CLUSTER_ID', 'SIZE_FIELD_NAME': 'CLUSTER_SIZE', 'OUTPUT': 'memory:'}
t0 = time.perf_counter()
c0 = time.process_time()
res, ok = alg.run(params, ctx, fb)
seconds = time.perf_counter() - t0
cpu = time.process_time() - c0
out = ctx.takeResultLayer(res['OUTPUT'])
labels = np.full(len(pts), -2, dtype=np.int64)
for f in out.getFeatures():
    v = f['CLUSTER_ID']
    labels[f['idx']] = -1 if v is None or v == NULL else int(v) - 1
np.save(sys.argv[4], labels)
print(json.dumps({'seconds': seconds, 'cpu': cpu}))
app.exitQgis()
"""


def run_qgis(csv, eps, min_points, out_npy):
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(QGIS_SCRIPT.replace("v == NULL", "(hasattr(v, 'isNull') and v.isNull())"))
        script = f.name
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    p = subprocess.run(["/usr/bin/python3", script, csv, str(eps), str(min_points), out_npy], capture_output=True, text=True, env=env)
    os.unlink(script)
    if p.returncode != 0:
        print("QGIS reference failed:", p.stderr[-2000:])
        return None, None, None
    r = json.loads(p.stdout.strip().splitlines()[-1])
    return r["seconds"], r["cpu"], np.load(out_npy)


def core_partition_equal(ours, ref, core):
    m = core
    pairs = set(zip(ours[m].tolist(), ref[m].tolist()))
    a = {}
    b = {}
    for x, y in pairs:
        if a.setdefault(x, y) != y or b.setdefault(y, x) != x:
            return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(HERE, "..", "..", "build"))
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--eps", type=float, default=50)
    ap.add_argument("--min", type=int, default=5)
    ap.add_argument("--skip-sklearn", action="store_true")
    ap.add_argument("--skip-qgis", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="runs of statdesk-cli; the median is reported")
    args = ap.parse_args()
    cli = os.path.join(os.path.abspath(args.build), "bin", "statdesk-cli")
    if not os.path.exists(cli):
        sys.exit(f"{cli} not built")

    with tempfile.TemporaryDirectory() as tmp:
        csv = os.path.join(tmp, "points.csv")
        t0 = time.perf_counter()
        pts = generate(args.points, csv)
        print(f"generated {len(pts):,} clustered points in {time.perf_counter() - t0:.1f} s ({os.path.getsize(csv) / 1e6:.0f} MB CSV)")

        runs = [run_ours(cli, csv, os.path.join(tmp, "labels.csv"), args.eps, args.min) for _ in range(max(args.repeat, 1))]
        median = lambda values: sorted(values)[len(values) // 2]
        wall = median([r[0] for r in runs])
        cpu = median([r[1] for r in runs])
        engine = median([r[2] for r in runs])
        rss = max(r[3] for r in runs)
        summary, ours = runs[-1][4], runs[-1][5]
        print(f"load average (1 min) around our runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall-clock ratios suffer when the machine is shared; CPU-time ratios less)")
        print(f"statdesk-cli cluster --method dbscan, whole process (start, CSV read, clustering, labels written), median of {len(runs)}: "
              f"{wall:.2f} s wall, {cpu:.2f} s CPU; engine alone {engine:.3f} s wall; peak RSS {rss:.0f} MB; "
              f"{summary['clusters']:,} clusters, {summary['noise']:,} noise")

        if not args.skip_qgis:
            qs, qcpu, ql = run_qgis(csv, args.eps, args.min, os.path.join(tmp, "qgis.npy"))
            if qs is not None:
                same_noise = bool(np.array_equal(ours < 0, ql < 0))
                print(f"QGIS native:dbscanclustering (algorithm only, memory layer already loaded): {qs:.2f} s wall, {qcpu:.2f} s CPU; "
                      f"same noise: {same_noise}; clusters {int(ql.max()) + 1:,}")
                print(f"  QGIS algorithm / statdesk engine:        {qs / engine:5.1f}x (wall)")
                print(f"  QGIS algorithm / statdesk whole process: {qs / wall:5.1f}x (wall), {qcpu / cpu:5.1f}x (CPU)   [issue 5: >= 10x]")

        if not args.skip_sklearn:
            from sklearn.cluster import DBSCAN
            t0 = time.perf_counter()
            c0 = time.process_time()
            model = DBSCAN(eps=args.eps, min_samples=args.min).fit(pts)
            ss = time.perf_counter() - t0
            scpu = time.process_time() - c0
            core = np.zeros(len(pts), dtype=bool)
            core[model.core_sample_indices_] = True
            identical = bool(np.array_equal(model.labels_, ours))
            print(f"scikit-learn DBSCAN: {ss:.2f} s (fit only); identical labels: {identical}; "
                  f"core partition equal: {core_partition_equal(ours, model.labels_, core)}")
            print(f"  scikit-learn fit / statdesk engine:        {ss / engine:5.1f}x (wall)")
            print(f"  scikit-learn fit / statdesk whole process: {ss / wall:5.1f}x (wall), {scpu / cpu:5.1f}x (CPU)")
        print(f"peak memory of statdesk-cli: {rss:.0f} MB (limit 1024 MB)")


if __name__ == "__main__":
    main()
