"""Reference k-means runs and cluster-quality scores for seg.kmeans / seg.chooseK / the metric kernels.

Run from the repository root:  TZ=UTC /usr/bin/python3 test/reference/cluster_reference.py
Writes test/reference/expected/cluster-mall.json, cluster-wholesale.json and cluster-ari.json, which
test/seg/kmeans.test.ts, metrics.test.ts and features.test.ts compare against (tests never run Python).

For each dataset and k it records:
- sklearn's k-means++ initial centres for random_state=0 (`kmeans_plusplus`), and KMeans started from
  exactly those centres with n_init=1 (labels, inertia, n_iter, centres): our Lloyd iterations started
  from the same centres must find the same partition;
- KMeans(n_clusters=k, n_init=10, random_state=0): the best inertia our own k-means++ must match,
  and the same for random_state 0..29 (the spread of best-of-10 results);
- silhouette / Calinski-Harabasz / Davies-Bouldin of the n_init=1 labels.
"""

import json

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)
from sklearn.preprocessing import StandardScaler

OUT = "test/reference/expected"
KS = [3, 4, 5, 6]
SPREAD = 30
GENERATOR = f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, pandas {pd.__version__}"


def runs(X: np.ndarray) -> list:
    out = []
    for k in KS:
        centres, indices = kmeans_plusplus(X, k, random_state=0)
        single = KMeans(n_clusters=k, init=centres, n_init=1).fit(X)
        best = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
        # Best-of-10 inertia is itself random: its spread over random states tells what "as good as
        # sklearn" can mean for data with close local optima.
        spread = [float(KMeans(n_clusters=k, n_init=10, random_state=s).fit(X).inertia_) for s in range(SPREAD)]
        labels = single.labels_
        out.append(
            {
                "k": k,
                "initIndices": [int(i) for i in indices],
                "initCentres": centres.tolist(),
                "labels": [int(v) for v in labels],
                "inertia": float(single.inertia_),
                "nIter": int(single.n_iter_),
                "centres": single.cluster_centers_.tolist(),
                "bestOf10Inertia": float(best.inertia_),
                "bestOf10InertiaByRandomState": spread,
                "silhouette": float(silhouette_score(X, labels)),
                "calinskiHarabasz": float(calinski_harabasz_score(X, labels)),
                "daviesBouldin": float(davies_bouldin_score(X, labels)),
            }
        )
    return out


def write(name: str, payload: dict) -> None:
    with open(f"{OUT}/{name}", "w") as f:
        json.dump(payload, f, indent=1)
        f.write("\n")


def main() -> None:
    mall_source = "../shared/datasets/mall_customers/Mall_Customers.csv"
    mall = pd.read_csv(mall_source)
    mall_features = ["Annual Income (k$)", "Spending Score (1-100)"]
    X = mall[mall_features].to_numpy(dtype=np.float64)
    write(
        "cluster-mall.json",
        {
            "source": mall_source,
            "generator": GENERATOR,
            "features": mall_features,
            "transform": "none",
            "n": int(X.shape[0]),
            "ids": [int(v) for v in mall["CustomerID"]],
            "tolerance": float(np.mean(np.var(X, axis=0)) * 1e-4),
            "runs": runs(X),
        },
    )

    wholesale_source = "../shared/datasets/wholesale/wholesale_customers.csv"
    wholesale = pd.read_csv(wholesale_source)
    spend = ["Fresh", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen"]
    logged = np.log1p(wholesale[spend].to_numpy(dtype=np.float64))
    scaler = StandardScaler().fit(logged)
    Z = scaler.transform(logged)
    write(
        "cluster-wholesale.json",
        {
            "source": wholesale_source,
            "generator": GENERATOR,
            "features": spend,
            "transform": "log1p then StandardScaler",
            "n": int(Z.shape[0]),
            "ids": [int(v) for v in wholesale["CustomerID"]],
            "scalerMean": scaler.mean_.tolist(),
            "scalerScale": scaler.scale_.tolist(),
            "firstRows": Z[:3].tolist(),
            "tolerance": float(np.mean(np.var(Z, axis=0)) * 1e-4),
            "runs": runs(Z),
        },
    )

    # adjusted_rand_score examples from scikit-learn's documentation, plus its special cases.
    pairs = [
        ([0, 0, 1, 1], [0, 0, 1, 1]),
        ([0, 0, 1, 1], [1, 1, 0, 0]),
        ([0, 0, 1, 2], [0, 0, 1, 1]),
        ([0, 0, 1, 1], [0, 0, 1, 2]),
        ([0, 0, 0, 0], [0, 1, 2, 3]),
        ([0, 0, 1, 1], [0, 1, 0, 1]),
        ([0, 0, 0, 0], [0, 0, 0, 0]),
        ([0, 1, 2, 3], [0, 1, 2, 3]),
        ([0], [0]),
        ([], []),
        (["a", "a", "b", "c", "c", "c"], [1, 1, 2, 2, 3, 3]),
        ([3, 3, 7, 7, 7, 1, 1, 2], [0, 1, 1, 1, 2, 2, 0, 0]),
    ]
    rng = np.random.RandomState(0)
    random_a = rng.randint(0, 5, size=1000).tolist()
    random_b = [v if rng.rand() < 0.7 else int(rng.randint(0, 4)) for v in random_a]
    pairs.append((random_a, random_b))
    write(
        "cluster-ari.json",
        {
            "generator": GENERATOR,
            "cases": [{"a": a, "b": b, "ari": float(adjusted_rand_score(a, b))} for a, b in pairs],
        },
    )


if __name__ == "__main__":
    main()
