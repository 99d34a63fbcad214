"""Reference values for test/seg/abtest.test.ts (scipy.stats; the z-test and Holm written out).

Run from the repository root:  /usr/bin/python3 test/reference/abtest_reference.py
Writes test/reference/expected/abtest-reference.json. The test builds the same deterministic dataset
in DuckDB SQL (see `dataset` below: integer hashes, so both sides get identical values) and compares
Segbook's results against this file; it never runs Python.

statsmodels is not installed here, so Holm's step-down adjustment is written out as in its
`multipletests(method="holm")`; the two-proportion z-test uses the pooled SE for the statistic and the
unpooled (Wald) SE for the confidence interval of the difference.
"""
import json
import math

import numpy as np
from scipy import stats

N = 3600
SEGMENTS = ["east", "north", "south", "west"]
VARIANTS = ["control", "A", "B"]
BASE = [0.10, 0.15, 0.20, 0.25]
LIFT = [0.0, 0.03, 0.08]
SHIFT_SEG = [0.0, 5.0, 10.0, 15.0]
SHIFT_VAR = [0.0, 0.5, 2.0]
ALPHA = 0.05
OUT = "test/reference/expected/abtest-reference.json"


def dataset():
    """Rows (segment, variant, converted, revenue); the SQL in the test computes the same."""
    rows = []
    for i in range(N):
        s = i % 4
        v = (i // 4) % 3
        u = ((i * 2654435761) % 4294967296) / 4294967296.0
        u2 = ((i * 40503 + 12345) % 65536) / 65536.0
        converted = 1 if u < BASE[s] + LIFT[v] else 0
        revenue = 20.0 + SHIFT_SEG[s] + SHIFT_VAR[v] + 30.0 * u2
        rows.append((SEGMENTS[s], VARIANTS[v], converted, revenue))
    return rows


def holm(pvalues):
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: (pvalues[i], i))
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        adjusted[i] = running
    return adjusted


def ztest(a, b):
    na, nb = len(a), len(b)
    xa, xb = float(sum(a)), float(sum(b))
    pa, pb = xa / na, xb / nb
    pooled = (xa + xb) / (na + nb)
    se = math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    z = (pb - pa) / se
    p = 2 * stats.norm.sf(abs(z))
    se_ci = math.sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb)
    half = stats.norm.ppf(1 - ALPHA / 2) * se_ci
    diff = pb - pa
    return {"control_value": pa, "variant_value": pb, "difference": diff, "statistic": z, "df": None,
            "p_value": float(p), "ci_low": diff - half, "ci_high": diff + half}


def welch(a, b):
    a, b = np.asarray(a), np.asarray(b)
    res = stats.ttest_ind(b, a, equal_var=False)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    diff = b.mean() - a.mean()
    half = stats.t.ppf(1 - ALPHA / 2, df) * math.sqrt(va + vb)
    return {"control_value": float(a.mean()), "variant_value": float(b.mean()), "difference": float(diff),
            "statistic": float(res.statistic), "df": float(df), "p_value": float(res.pvalue),
            "ci_low": float(diff - half), "ci_high": float(diff + half)}


def compare(rows, column, test):
    results = []
    for seg in SEGMENTS:
        control = [r[column] for r in rows if r[0] == seg and r[1] == "control"]
        for variant in VARIANTS[1:]:
            treated = [r[column] for r in rows if r[0] == seg and r[1] == variant]
            results.append({"segment": seg, "variant": variant, "n_control": len(control),
                            "n_variant": len(treated), **test(control, treated)})
    adjusted = holm([r["p_value"] for r in results])
    for r, p in zip(results, adjusted):
        r["p_adjusted"] = float(p)
        r["significant"] = bool(p < ALPHA)
    return results


def sample_size_binary(p1, mde, alpha, power):
    p2 = p1 + mde
    pbar = (p1 + p2) / 2
    za, zb = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    n = (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / mde**2
    return {"baseline": p1, "mde": mde, "alpha": alpha, "power": power, "n": n}


def sample_size_numeric(sd, mde, alpha, power):
    za, zb = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    return {"sd": sd, "mde": mde, "alpha": alpha, "power": power, "n": 2 * sd**2 * (za + zb) ** 2 / mde**2}


def main():
    rows = dataset()
    out = {
        "binary": compare(rows, 2, ztest),
        "numeric": compare(rows, 3, welch),
        "sampleSize": {
            "binary": [sample_size_binary(0.1, 0.02, 0.05, 0.8), sample_size_binary(0.3, -0.05, 0.01, 0.9)],
            "numeric": [sample_size_numeric(10.0, 2.0, 0.05, 0.8), sample_size_numeric(3.5, 0.5, 0.1, 0.95)],
        },
    }
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
