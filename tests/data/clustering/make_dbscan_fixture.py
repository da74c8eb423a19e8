#!/usr/bin/python3
"""Generates the DBSCAN / ST-DBSCAN reference fixture once (run with Debian's /usr/bin/python3,
python3-sklearn). Integer coordinates and whole-day times, with planted pairs exactly eps apart
(in space: axis steps of eps and 3-4-5 triangles; in time: exactly eps-days apart), so the
inclusive dist <= eps rule is exercised without rounding.

Writes dbscan_points.csv (x, y, t seconds) and dbscan_reference.csv (one column pair per case:
label = sklearn label, -1 noise; core = 1 for core samples).
"""
import numpy as np
from sklearn import __version__ as sklearn_version
from sklearn.cluster import DBSCAN

rng = np.random.default_rng(20261129)
pts = []
# Gaussian blobs of different densities.
for cx, cy, s, k in [(300, 300, 25, 120), (800, 400, 40, 150), (1400, 1500, 15, 80), (500, 1500, 70, 200), (1700, 600, 30, 60)]:
    pts += [(round(cx + rng.normal(0, s)), round(cy + rng.normal(0, s))) for _ in range(k)]
# Background noise.
pts += [(int(rng.integers(0, 2000)), int(rng.integers(0, 2000))) for _ in range(500)]
# Chains with steps of exactly 50 (axis) and (30, 40) (3-4-5 triangle, length 50).
for x0, y0, dx, dy, k in [(100, 1900, 50, 0, 8), (1000, 1000, 0, 50, 6), (1200, 200, 30, 40, 7), (1900, 1900, -40, -30, 5)]:
    pts += [(x0 + i * dx, y0 + i * dy) for i in range(k)]
# A few exact duplicates.
pts += pts[10:14]
pts = np.array(pts, dtype=float)
n = len(pts)
days = rng.integers(0, 120, n)
# Time chains with steps of exactly 7 days on the spatial chains.
days[n - 4 - 26:n - 4] = np.arange(26) * 7
t = days.astype(float) * 86400.0

cases = []
for eps, m in [(50, 5), (50, 3), (30, 4), (80, 10)]:
    model = DBSCAN(eps=eps, min_samples=m).fit(pts)
    core = np.zeros(n, dtype=int)
    core[model.core_sample_indices_] = 1
    cases.append((f"e{eps}_m{m}", model.labels_, core))

# ST-DBSCAN: the same DBSCAN on a precomputed metric where pairs farther apart in time than
# eps-days are made infinitely far.
for eps, eps_days, m in [(50, 7, 3), (80, 14, 4)]:
    d = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(axis=2))
    dt = np.abs(t[:, None] - t[None, :])
    d[dt > eps_days * 86400.0] = 1e12
    model = DBSCAN(eps=eps, min_samples=m, metric="precomputed").fit(d)
    core = np.zeros(n, dtype=int)
    core[model.core_sample_indices_] = 1
    cases.append((f"st_e{eps}_d{eps_days}_m{m}", model.labels_, core))

with open("dbscan_points.csv", "w") as f:
    f.write("x,y,t\n")
    for (x, y), tt in zip(pts, t):
        f.write(f"{int(x)},{int(y)},{int(tt)}\n")
with open("dbscan_reference.csv", "w") as f:
    f.write(",".join(f"label_{c[0]},core_{c[0]}" for c in cases) + "\n")
    for i in range(n):
        f.write(",".join(f"{c[1][i]},{c[2][i]}" for c in cases) + "\n")
print(f"{n} points, sklearn {sklearn_version}:", {c[0]: int(c[1].max() + 1) for c in cases})
