"""Reference values for test/seg/clv.test.ts: lifetimes' BG/NBD and Gamma-Gamma, written out.

Run from the repository root:  /usr/bin/python3 test/reference/clv_reference.py
Writes test/reference/expected/clv-cdnow.json. The `lifetimes` package is not installed, so its
definitions are copied here with scipy.special (gammaln, betaln, hyp2f1):

- RFM summary (`summary_data_from_transaction_data` with freq="D", freq_multiplier=7 for weeks):
  purchases on one day merge; frequency = purchase days - 1; recency = days from the first to the last
  purchase day; T = days from the first purchase to the observation end; recency and T divided by 7;
  monetary_value = mean of the repeat purchase days' totals (the first day excluded; 0 without repeats).
- BG/NBD log-likelihood: `BetaGeoFitter._negative_log_likelihood` (Fader, Hardie & Lee 2005, eq. 6).
- Gamma-Gamma log-likelihood: `GammaGammaFitter._negative_log_likelihood`.
Both are evaluated at the published CDNOW parameters (r 0.243, alpha 4.414, a 0.793, b 2.426; the
paper's Table) and fitted here with scipy (Nelder-Mead on log-parameters, as lifetimes does), so the
test can compare both the likelihood function and the optimum.
"""
import json
from datetime import date

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, expit, gammaln, hyp2f1

PATH = "../shared/datasets/cdnow/CDNOW_sample.txt"
AS_OF = date(1997, 9, 30)
OUT = "test/reference/expected/clv-cdnow.json"
PUBLISHED = [0.243, 4.414, 0.793, 2.426]
HORIZON = 52.0


def summary():
    days = {}
    with open(PATH) as f:
        for line in f:
            fields = line.split()
            if not fields:
                continue
            customer, ymd, dollars = fields[0], fields[2], float(fields[4])
            d = date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
            if d > AS_OF:
                continue
            per = days.setdefault(customer, {})
            per[d] = per.get(d, 0.0) + dollars
    rows = []
    for customer in sorted(days):
        per = days[customer]
        ordered = sorted(per)
        first, last = ordered[0], ordered[-1]
        frequency = len(ordered) - 1
        repeat = [per[d] for d in ordered[1:]]
        rows.append({
            "customer": customer,
            "frequency": float(frequency),
            "recency": (last - first).days / 7.0,
            "T": (AS_OF - first).days / 7.0,
            "monetary": sum(repeat) / frequency if frequency else 0.0,
        })
    return rows


def bgnbd_ll(params, x, t_x, T):
    """Sum of lifetimes' per-customer BG/NBD log-likelihood."""
    r, alpha, a, b = params
    A_1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    A_2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    A_3 = -(r + x) * np.log(alpha + T)
    A_4 = np.log(a) - np.log(b + np.where(x == 0, 1, x) - 1) - (r + x) * np.log(t_x + alpha)
    m = np.maximum(A_3, A_4)
    return float(np.sum(A_1 + A_2 + np.log(np.exp(A_3 - m) + np.exp(A_4 - m) * (x > 0)) + m))


def gg_ll(params, x, m):
    """Sum of lifetimes' per-customer Gamma-Gamma log-likelihood (customers with x > 0)."""
    p, q, v = params
    return float(np.sum(
        gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(v)
        + (p * x - 1) * np.log(m) + (p * x) * np.log(x) - (p * x + q) * np.log(x * m + v)
    ))


def fit(ll, n_params, *data):
    best = None
    start = np.zeros(n_params)
    for _ in range(5):  # restart Nelder-Mead from its own optimum until it stops moving
        res = minimize(lambda lp: -ll(np.exp(lp), *data), start, method="Nelder-Mead",
                       options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000, "maxfev": 40000})
        start = res.x
        if best is not None and abs(best.fun - res.fun) < 1e-10:
            best = res
            break
        best = res
    return [float(v) for v in np.exp(best.x)], float(-best.fun)


def predictions(params, gg, x, t_x, T, m, t):
    r, alpha, a, b = params
    _a, _b, _c = r + x, b + x, a + b + x - 1
    z = t / (alpha + T + t)
    hyp = np.log(hyp2f1(_a, _b, _c, z))
    first = (a + b + x - 1) / (a - 1)
    second = 1 - np.exp(hyp + (r + x) * np.log((alpha + T) / (alpha + t + T)))
    denominator = 1 + (x > 0) * (a / (b + x - 1)) * ((alpha + T) / (alpha + t_x)) ** (r + x)
    expected = first * second / denominator
    log_div = (r + x) * np.log((alpha + T) / (alpha + t_x)) + np.log(a / (b + np.maximum(x, 1) - 1))
    alive = np.where(x == 0, 1.0, expit(-log_div))
    p, q, v = gg
    weight = p * x / (p * x + q - 1)
    spend = (1 - weight) * (v * p / (q - 1)) + weight * m
    return expected, alive, spend


def main():
    rows = summary()
    x = np.array([r["frequency"] for r in rows])
    t_x = np.array([r["recency"] for r in rows])
    T = np.array([r["T"] for r in rows])
    m = np.array([r["monetary"] for r in rows])
    fitted, ll_fitted = fit(bgnbd_ll, 4, x, t_x, T)
    repeat = (x > 0) & (m > 0)
    gg_fitted, gg_ll_fitted = fit(gg_ll, 3, x[repeat], m[repeat])
    expected, alive, spend = predictions(fitted, gg_fitted, x, t_x, T, m, HORIZON)
    picks = [0, 1, 2, 3, 10, 100, 1000, 2356]
    out = {
        "asOf": AS_OF.isoformat(),
        "customers": len(rows),
        "repeatCustomers": int(repeat.sum()),
        "totals": {k: float(sum(r[k] for r in rows)) for k in ["frequency", "recency", "T", "monetary"]},
        "published": {"params": PUBLISHED, "logLikelihood": bgnbd_ll(PUBLISHED, x, t_x, T)},
        "fitted": {"params": fitted, "logLikelihood": ll_fitted},
        "gammaGamma": {"params": gg_fitted, "logLikelihood": gg_ll_fitted,
                       "atUnit": gg_ll([1.0, 1.0, 1.0], x[repeat], m[repeat])},
        "horizon": HORIZON,
        "customersSample": [{**rows[i], "expected": float(expected[i]), "alive": float(alive[i]),
                             "spend": float(spend[i])} for i in picks],
    }
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
