"""The analyst task of scripts/bench/analyst-task.md in pandas + scikit-learn, for `npm run bench` (suite
cli), timed by the caller as a whole process (imports included, as an analyst runs it):

  /usr/bin/python3 scripts/bench/analyst_task.py ../shared/datasets/online_retail/online_retail.csv OUT.csv

Clean (a customer, no cancellations, positive quantity and price), RFM per customer (recency in days
from the invoice day to 2011-12-10, distinct invoices, revenue), k-means (k = 4, n_init = 10) on
log1p + standardized RFM, write the segments CSV. Prints the segment sizes (largest first) as JSON.
"""

import json
import sys

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    df = pd.read_csv(source, dtype={"InvoiceNo": str}, parse_dates=["InvoiceDate"])
    df = df[df["CustomerID"].notnull() & ~df["InvoiceNo"].str.startswith("C")]
    df = df[(df["Quantity"] > 0) & (df["UnitPrice"] > 0)]
    df["customer_id"] = df["CustomerID"].astype(int)
    df["amount"] = df["Quantity"] * df["UnitPrice"]
    df["invoice_date"] = df["InvoiceDate"].dt.normalize()

    rfm = df.groupby("customer_id").agg(
        last=("invoice_date", "max"),
        frequency=("InvoiceNo", "nunique"),
        monetary=("amount", "sum"),
    )
    rfm["recency"] = (pd.Timestamp("2011-12-10") - rfm["last"]).dt.days
    features = StandardScaler().fit_transform(np.log1p(rfm[["recency", "frequency", "monetary"]]))
    rfm["cluster"] = KMeans(n_clusters=4, n_init=10, random_state=42).fit_predict(features)

    rfm.reset_index()[["customer_id", "recency", "frequency", "monetary", "cluster"]].to_csv(target, index=False)
    print(json.dumps(sorted(rfm["cluster"].value_counts().tolist(), reverse=True)))


if __name__ == "__main__":
    main()
