"""Reference sums for seg's order-independent sum of doubles (src/seg/exact-sum.ts): Python's math.fsum,
the correctly rounded sum, on hard cases and on the Online Retail customers whose pandas (Kahan) sum
misses it.

Run from the repository root:  TZ=UTC /usr/bin/python3 test/reference/exact_sum_reference.py
Writes test/reference/expected/exact-sum.json, which test/seg/exact-sum.test.ts compares against (the
tests never run Python). Values are written as Python repr strings so NaN, infinities and every bit
survive JSON.
"""

import json
import math
import sys

import pandas as pd

SOURCE = "../shared/datasets/online_retail/online_retail.csv"
TARGET = "test/reference/expected/exact-sum.json"


def fsum_or_special(values: list) -> float | None:
    """math.fsum of the non-NULL values, None when all are NULL; NaN and infinities as float arithmetic has them."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    if any(math.isnan(v) or math.isinf(v) for v in present):
        return sum(present)  # any order: inf + finite = inf, inf + -inf = nan, nan absorbs
    return math.fsum(present)


def text(value: float | None) -> str | None:
    return None if value is None else repr(value)


CASES = [
    ("0.1 ten times", [0.1] * 10),
    ("cancellation 1e16, 1, -1e16", [1e16, 1.0, -1e16]),
    ("0.1 + 0.2 + 0.3 in two orders' worth", [0.3, 0.2, 0.1]),
    ("mixed signs and scales", [1234.5678, -0.000123, 98765.4321, -1234.5678, 3.3e-5, 7.25, -7.25, 0.1]),
    ("tiny values", [1e-300, 3e-310, 2.5e-12, -1e-13, 7e-20]),
    ("values below 2^-10 with bits under 2^-62", [0.000977, 1.1e-7, 3.14159e-5, 2.2e-16]),
    ("amounts near 2^43", [8796093022207.0, 0.5, 8796093022207.75]),
    ("amounts from 2^43 to 1e15", [8796093022208.0, 1.0, 1e15, -3.5]),
    ("2^64 and above take sum", [2e19, 3.0, 5e19]),
    ("a sum above 2^33", [5e9, 5e9, 0.123456789, 4.3e9]),
    ("negatives only", [-0.1, -0.2, -0.3, -1e-9]),
    ("with NULLs", [None, 2.5, None, 0.1, 0.2]),
    ("only NULLs", [None, None]),
    ("NaN", [1.0, float("nan"), 2.0]),
    ("infinity", [1.0, float("inf"), 2.0]),
    ("both infinities", [float("inf"), 1.0, float("-inf")]),
]


def main() -> None:
    if sys.version_info < (3, 8):
        raise SystemExit("Python 3.8 or later is needed")
    cases = [
        {"title": title, "values": [text(v) for v in values], "sum": text(fsum_or_special(values))}
        for title, values in CASES
    ]
    retail = pd.read_csv(SOURCE, encoding="latin-1", dtype={"InvoiceNo": str})
    retail = retail[
        retail["CustomerID"].notna()
        & ~retail["InvoiceNo"].str.startswith("C")
        & (retail["Quantity"] > 0)
        & (retail["UnitPrice"] > 0)
    ]
    amount = retail["Quantity"] * retail["UnitPrice"]
    groups = amount.groupby(retail["CustomerID"].astype(int))
    kahan = groups.sum()
    exact = groups.apply(lambda g: math.fsum(g.tolist()))
    missed = sorted(int(c) for c in kahan.index if kahan[c] != exact[c])
    customers = [{"customer": c, "pandas": repr(kahan[c]), "fsum": repr(exact[c])} for c in missed]
    with open(TARGET, "w", encoding="utf-8") as out:
        json.dump(
            {
                "generator": "test/reference/exact_sum_reference.py",
                "cases": cases,
                "onlineRetail": {"customers": len(kahan), "pandasMisses": customers},
            },
            out,
            indent=1,
        )
        out.write("\n")
    print(f"{len(cases)} cases, {len(customers)} of {len(kahan)} Online Retail customers where pandas misses fsum")


main()
