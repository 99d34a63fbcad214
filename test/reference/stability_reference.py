"""Reference clusterboot for test/seg/stability.test.ts: Hennig's procedure re-implemented with numpy and
scikit-learn's KMeans, on given bootstrap samples, so Segbook's seg.stability can be run on the very
same samples and must give the same Jaccard values.

Run from the repository root:  /usr/bin/python3 test/reference/stability_reference.py
Writes test/reference/expected/stability_blobs.json (data, samples, labels and Jaccard per replicate).

The data are three overlapping 2-D blobs of 20 points: k-means (many restarts) reaches the same
optimum from any start on them and on every sample, so the clusterings agree and any difference would
be in the procedure (distinct points, best Jaccard, averaging).
"""
import json
import os

import numpy as np
from sklearn.cluster import KMeans

rng = np.random.default_rng(7)
centres = np.array([[0.0, 0.0], [3.0, 0.5], [1.5, 3.0]])
X = np.vstack([c + rng.normal(scale=1.3, size=(20, 2)) for c in centres]).round(3)
n, k, B = len(X), 3, 20
samples = [rng.integers(0, n, size=n) for _ in range(B)]


def kmeans(data):
    return KMeans(n_clusters=k, n_init=50, random_state=0).fit(data)


def best_jaccard(labels, sample, boot):
    """Best Jaccard per original cluster over the DISTINCT points in the sample (NaN if none)."""
    first = {}
    for r, i in enumerate(sample):
        first.setdefault(int(i), int(boot[r]))
    points = np.array(sorted(first))
    b = np.array([first[i] for i in points])
    out = []
    for c in range(k):
        C = set(points[labels[points] == c])
        if not C:
            out.append(None)
            continue
        out.append(max(len(C & set(points[b == j])) / len(C | set(points[b == j])) for j in range(k)))
    return out


original = kmeans(X)
labels = original.labels_
jaccard = [best_jaccard(labels, s, kmeans(X[s]).labels_) for s in samples]
means = [float(np.nanmean([row[c] if row[c] is not None else np.nan for row in jaccard])) for c in range(k)]
os.makedirs("test/reference/expected", exist_ok=True)
with open("test/reference/expected/stability_blobs.json", "w") as f:
    json.dump({
        "data": X.tolist(),
        "samples": [s.tolist() for s in samples],
        "labels": labels.tolist(),
        "inertia": float(original.inertia_),
        "jaccard": jaccard,
        "mean_jaccard": means,
    }, f)
    f.write("\n")
print(means)
