"""Reference RFM quintile scores for seg.rfm, computed the way practitioners write it in pandas.

Run from the repository root:  TZ=UTC /usr/bin/python3 test/reference/rfm_reference.py
Writes test/reference/expected/rfm-online-retail.json, which test/seg/rfm-reference.test.ts compares
against (the tests never run Python).
"""

import json
import os
import sys

import numpy as np
import pandas as pd

SOURCE = "../shared/datasets/online_retail/online_retail.csv"
TARGET = "test/reference/expected/rfm-online-retail.json"


def kernel_cases() -> list:
    """Small samples with their np.quantile edges and pd.qcut bins (1-based), for the kernel's tests."""
    samples = [
        ([1, 2, 3, 4, 10], 5),
        ([0.1, 0.7, 0.2, 5.5, 3.3, 2.2, 9.9, 1.1, 0.3], 4),
        ([3.75, 250.19, 17.0, 17.0, 490.1, 942.3, 2058.4, 28.0, 1e5, 0.01, 7.77], 5),
        ([2, 2, 2, 5, 9, 9, 40, 41, 100, 101, 250, 3], 3),
        (list(range(1, 38)), 7),
    ]
    cases = []
    for values, bins in samples:
        cut, edges = pd.qcut(pd.Series(values, dtype=float), bins, retbins=True, labels=False)
        cases.append({"values": values, "bins": bins, "edges": [float(e) for e in edges], "labels": [int(c) + 1 for c in cut]})
    return cases


def main() -> None:
    # InvoiceDate is "YYYY-MM-DD HH:MM:SS" in the file: naive timestamps, read as such (no time zone).
    df = pd.read_csv(SOURCE, dtype={"InvoiceNo": str}, parse_dates=["InvoiceDate"])
    df = df[df["CustomerID"].notnull()]
    df = df[~df["InvoiceNo"].str.startswith("C")]
    df = df[(df["Quantity"] > 0) & (df["UnitPrice"] > 0)]
    df["CustomerID"] = df["CustomerID"].astype(int)
    df["amount"] = df["Quantity"] * df["UnitPrice"]
    as_of = df["InvoiceDate"].max() + pd.Timedelta(days=1)

    rfm = df.groupby("CustomerID").agg(
        last=("InvoiceDate", "max"),
        frequency=("InvoiceNo", "nunique"),
        monetary=("amount", "sum"),
    )
    rfm["recency"] = (as_of - rfm["last"]).dt.days

    r_q = pd.qcut(rfm["recency"], 5, retbins=True, labels=[5, 4, 3, 2, 1])
    f_q = pd.qcut(rfm["frequency"].rank(method="first"), 5, retbins=True, labels=[1, 2, 3, 4, 5])
    m_q = pd.qcut(rfm["monetary"], 5, retbins=True, labels=[1, 2, 3, 4, 5])
    rfm["r"], rfm["f"], rfm["m"] = r_q[0], f_q[0], m_q[0]

    ids = [int(i) for i in rfm.index]
    # One "rfm" digit triple per customer, in ascending customer order: compact and diffable.
    scores = "".join(f"{r}{f}{m}" for r, f, m in zip(rfm["r"], rfm["f"], rfm["m"]))
    sample = [ids[0], ids[len(ids) // 2], ids[-1]]
    expected = {
        "source": SOURCE,
        "generator": f"pandas {pd.__version__}, numpy {np.__version__}",
        "asOf": as_of.isoformat(),
        "customers": len(ids),
        "ids": ids,
        "scores": scores,
        "edges": {
            "recency": [float(x) for x in r_q[1]],
            "frequencyRank": [float(x) for x in f_q[1]],
            "monetary": [float(x) for x in m_q[1]],
        },
        "totals": {
            "recency": int(rfm["recency"].sum()),
            "frequency": int(rfm["frequency"].sum()),
            "monetary": float(rfm["monetary"].sum()),
        },
        "sample": {
            str(i): {
                "recency": int(rfm.loc[i, "recency"]),
                "frequency": int(rfm.loc[i, "frequency"]),
                "monetary": float(rfm.loc[i, "monetary"]),
            }
            for i in sample
        },
    }
    expected["kernelCases"] = kernel_cases()
    with open(TARGET, "w", encoding="utf-8") as out:
        json.dump(expected, out, separators=(",", ":"))
        out.write("\n")
    if len(sys.argv) > 1:  # debugging aid: full per-customer values as CSV
        rfm[["recency", "frequency", "monetary", "r", "f", "m"]].to_csv(sys.argv[1], float_format="%r")


if __name__ == "__main__":
    os.environ.setdefault("TZ", "UTC")
    main()
