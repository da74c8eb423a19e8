#!/usr/bin/python3
"""Generates the FDR bin reference once (Debian python3-statsmodels, python3-scipy).
For two sets of z-scores -- the Gi* z of gistar_reference.csv (queen) and 600 synthetic z from a
mixture of nulls and signals -- writes p = 2 Phi(-|z|), the uncorrected bin (-3..3 at 99/95/90%)
and the Benjamini-Hochberg bin: a level counts when statsmodels multipletests(p, alpha,
method='fdr_bh') rejects at that level's alpha (0.10, 0.05, 0.01).
Output: gistar_fdr_reference.csv (set, z, p, bin, bin_fdr)."""
import csv

import numpy as np
from scipy.stats import norm
from statsmodels.stats.multitest import multipletests


def bins(z, p, fdr):
    out = np.zeros(len(z), dtype=int)
    for level, alpha in enumerate([0.10, 0.05, 0.01], start=1):
        sig = multipletests(p, alpha=alpha, method="fdr_bh")[0] if fdr else p <= alpha
        out[sig] = np.sign(z[sig]) * level
    return out


with open("gistar_reference.csv") as f:
    zq = np.array([float(r["z_queen"]) for r in csv.DictReader(f)])
rng = np.random.default_rng(7)
zs = np.concatenate([rng.normal(0, 1, 500), rng.normal(3, 1, 60), rng.normal(-2.5, 1, 40)])
with open("gistar_fdr_reference.csv", "w") as f:
    f.write("set,z,p,bin,bin_fdr\n")
    for name, z in [("gistar", zq), ("synthetic", zs)]:
        p = 2 * norm.sf(np.abs(z))
        b, bf = bins(z, p, False), bins(z, p, True)
        for row in zip(z, p, b, bf):
            f.write(f"{name},{row[0]!r},{row[1]!r},{row[2]},{row[3]}\n")
        print(name, "uncorrected", np.bincount(b + 3, minlength=7), "fdr", np.bincount(bf + 3, minlength=7))
