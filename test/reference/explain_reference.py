"""Reference trees for test/seg/explain.test.ts (scikit-learn DecisionTreeClassifier).

Run from the repository root:  /usr/bin/python3 test/reference/explain_reference.py
Writes test/reference/expected/explain_mall.json. The test never runs Python.

Cases on Mall Customers: one-vs-rest trees (max_depth=3, random_state=0) for each of five k-means
clusters on income and spending score (the labels are written too, by CustomerID, so the test
explains exactly these clusters), a Female-vs-rest tree on age, income and score, and a multiclass
tree of age band on income, score and one-hot Gender. sklearn tries features in a random order, so
when two features tie the chosen one depends on random_state; each tree is refitted with
random_state 0..19 and marked `deterministic` only when all twenty trees are identical.
"""
import json
import os

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.tree import DecisionTreeClassifier

DATASETS = "../shared/datasets"
OUT = "test/reference/expected"
INCOME = "Annual Income (k$)"
SCORE = "Spending Score (1-100)"

df = pd.read_csv(os.path.join(DATASETS, "mall_customers/Mall_Customers.csv"))


def nodes_of(tree):
    t = tree.tree_
    out = []
    for i in range(t.node_count):
        leaf = t.children_left[i] == -1
        out.append({
            "feature": -1 if leaf else int(t.feature[i]),
            "threshold": None if leaf else float(t.threshold[i]),
            "left": int(t.children_left[i]),
            "right": int(t.children_right[i]),
            "n": int(t.n_node_samples[i]),
            # sklearn >= 1.4 stores class fractions; multiply back to counts.
            "counts": [int(round(v * t.n_node_samples[i])) if t.value[i].sum() <= 1 + 1e-9 else int(round(v))
                       for v in t.value[i][0]],
        })
    return out


def fit(X, y, max_depth=3):
    trees = [nodes_of(DecisionTreeClassifier(max_depth=max_depth, random_state=rs).fit(X, y)) for rs in range(20)]
    model = DecisionTreeClassifier(max_depth=max_depth, random_state=0).fit(X, y)
    return {
        "nodes": trees[0],
        "deterministic": all(t == trees[0] for t in trees),
        "accuracy": float(model.score(X, y)),
        "classes": [c.item() if hasattr(c, "item") else c for c in model.classes_],
    }


X2 = df[[INCOME, SCORE]].to_numpy(dtype=float)
clusters = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(X2)
cases = {"kmeans_labels": {str(int(c)): int(k) for c, k in zip(df["CustomerID"], clusters)}, "kmeans": {}}
for k in range(5):
    cases["kmeans"][str(k)] = fit(X2, (clusters == k).astype(int))

X3 = df[["Age", INCOME, SCORE]].to_numpy(dtype=float)
cases["female"] = fit(X3, (df["Gender"] == "Female").astype(int))

band = np.where(df["Age"] < 30, "18-29", np.where(df["Age"] < 45, "30-44", "45+"))
Xg = np.column_stack([df[INCOME], df[SCORE], (df["Gender"] == "Female"), (df["Gender"] == "Male")]).astype(float)
cases["age_band"] = fit(Xg, band)

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "explain_mall.json"), "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
for name in ["female", "age_band"] + [f"kmeans/{k}" for k in range(5)]:
    c = cases["kmeans"][name.split("/")[1]] if "/" in name else cases[name]
    print(name, "deterministic" if c["deterministic"] else "TIES", c["accuracy"], len(c["nodes"]))
