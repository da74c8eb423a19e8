#!/usr/bin/python3
"""Generates the NNH first-order reference once (Debian python3-scipy).
Integer points (clustered + background, plus chains with steps exactly at the threshold) and,
per case, the connected components of the graph linking pairs within the threshold distance
(inclusive: cKDTree.query_pairs returns pairs at most r apart), scipy.sparse.csgraph, keeping
components with at least MinPts members, numbered by their lowest point index (-1 = none).
Case 'area': the CrimeStat threshold d = 0.5 sqrt(A/N) + norm.ppf(p) * 0.26136 / sqrt(N^2/A).
Output: nnh_points.csv (x, y), nnh_reference.csv (one label column per case), nnh_cases.csv."""
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree
from scipy.stats import norm

rng = np.random.default_rng(5)
pts = []
for cx, cy, s, k in [(500, 500, 30, 80), (1500, 600, 60, 120), (900, 1600, 20, 40), (1700, 1700, 90, 150)]:
    pts += [(round(cx + rng.normal(0, s)), round(cy + rng.normal(0, s))) for _ in range(k)]
pts += [(int(rng.integers(0, 2000)), int(rng.integers(0, 2000))) for _ in range(600)]
for x0, y0, dx, dy, k in [(100, 1900, 40, 0, 12), (1900, 100, 0, 40, 12), (200, 200, 24, 32, 12)]:
    pts += [(x0 + i * dx, y0 + i * dy) for i in range(k)]
pts = np.array(pts, dtype=float)
n = len(pts)
area = 2000.0 * 2000.0
p = 0.05
d_area = 0.5 * np.sqrt(area / n) + norm.ppf(p) * 0.26136 / np.sqrt(n * n / area)
cases = [("d40_m5", 40.0, 5), ("d40_m12", 40.0, 12), ("d25_m3", 25.0, 3), ("area_p05_m10", d_area, 10)]
tree = cKDTree(pts)
labels = []
for name, d, m in cases:
    pairs = np.array(sorted(tree.query_pairs(d)))
    g = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    k, comp = connected_components(g, directed=False)
    sizes = np.bincount(comp, minlength=k)
    out = np.full(n, -1)
    nxt = 0
    ids = {}
    for i in range(n):
        if sizes[comp[i]] >= m:
            if comp[i] not in ids:
                ids[comp[i]] = nxt
                nxt += 1
            out[i] = ids[comp[i]]
    labels.append(out)
    print(name, "threshold", d, "clusters", nxt)
np.savetxt("nnh_points.csv", pts, fmt="%d", delimiter=",", header="x,y", comments="")
with open("nnh_reference.csv", "w") as f:
    f.write(",".join(c[0] for c in cases) + "\n")
    for i in range(n):
        f.write(",".join(str(l[i]) for l in labels) + "\n")
with open("nnh_cases.csv", "w") as f:
    f.write("case,threshold,min_points,area,p\n")
    for name, d, m in cases:
        f.write(f"{name},{d!r},{m},{area if name.startswith('area') else 0},{p if name.startswith('area') else 0}\n")
