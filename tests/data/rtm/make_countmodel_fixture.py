#!/usr/bin/python3
"""Reference fixture for test_rtm_countmodels: statsmodels maximum-likelihood count fits.

Run once from this folder with Debian's Python:  /usr/bin/python3 make_countmodel_fixture.py
(Debian: python3-statsmodels, python3-numpy). Writes countmodel_data.csv (x1..x3, y, w=1) and
countmodel_reference.json with params, bse, llf for
  - Poisson: statsmodels GLM(family=Poisson) (SEs from the expected = observed information);
  - NB1: NegativeBinomialP(p=1): Var = mu (1 + alpha) = gamlss NBII with sigma = alpha;
  - NB2: NegativeBinomialP(p=2): Var = mu + alpha mu^2.
NB SEs are statsmodels' default (inverse observed Hessian in (beta, alpha)).
"""
import json
import numpy as np
import statsmodels.api as sm
from statsmodels.discrete.discrete_model import NegativeBinomialP

rng = np.random.default_rng(20240601)
n = 900
x1 = (rng.random(n) < 0.25).astype(float)
x2 = (rng.random(n) < 0.6).astype(float)
x3 = rng.normal(size=n)
mu = np.exp(-0.3 + 0.9 * x1 - 0.5 * x2 + 0.3 * x3)
# Gamma-mixed Poisson with a variance between NB1 and NB2 shapes.
lam = rng.gamma(shape=mu / 0.8 + 0.5, scale=mu / (mu / 0.8 + 0.5))
y = rng.poisson(lam).astype(float)
X = np.column_stack([np.ones(n), x1, x2, x3])

np.savetxt("countmodel_data.csv", np.column_stack([x1, x2, x3, y]), delimiter=",",
           header="x1,x2,x3,y", comments="", fmt="%.17g")

out = {}
pois = sm.GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-14, maxiter=200)
out["poisson"] = {"params": pois.params.tolist(), "bse": pois.bse.tolist(), "llf": float(pois.llf)}
for name, p in (("nb1", 1), ("nb2", 2)):
    m = NegativeBinomialP(y, X, p=p)
    r = m.fit(method="newton", maxiter=500, tol=1e-14, disp=0)
    r = m.fit(start_params=r.params, method="newton", maxiter=500, tol=1e-14, disp=0)
    assert r.mle_retvals["converged"], name
    out[name] = {"params": r.params[:-1].tolist(), "bse": r.bse[:-1].tolist(), "alpha": float(r.params[-1]),
                 "alpha_bse": float(r.bse[-1]), "llf": float(r.llf)}
with open("countmodel_reference.json", "w") as f:
    json.dump(out, f, indent=1)
print(json.dumps(out, indent=1))
