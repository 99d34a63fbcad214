"""Reference BIC per k of Gaussian mixtures on Mall Customers from Lloyd-only k-means starts, for
seg.gmm's default start (test/seg/gmm-start.test.ts compares against the JSON).

Run from the repository root:  TZ=UTC /usr/bin/python3 test/reference/gmm_mall_bic.py
Writes test/reference/expected/gmm-mall-bic.json. Needs node (it runs gmm_mall_seeds.ts with tsx).

Data: Mall Customers, Annual Income and Spending Score, StandardScaler (as test/reference/
gmm_reference.py). For k = 2..8:
1. The starting centres are the rows seg's k-means++ picks for seed 42 (printed by
   test/reference/gmm_mall_seeds.ts): k-means++ draws from a random stream, and sklearn's and ours
   differ, so the rows are taken from ours and handed to sklearn.
2. The starting partition is sklearn's own Lloyd-only k-means from those rows:
   KMeans(init=X[rows], n_init=1, algorithm="lloyd") with KMeans' defaults (300 iterations, tol 1e-4),
   exactly what GaussianMixture(init_params="kmeans") runs, just not seeded by sklearn's generator.
3. GaussianMixture (full covariance, reg_covar 1e-6, tol 1e-3, max_iter 100) is fitted from that
   partition through sklearn's own `_initialize(X, resp)` with one-hot responsibilities, i.e. exactly
   the code path of init_params="kmeans" with this partition in place of its own k-means labels.
The JSON holds, per k, the rows, the partition, and the fit (BIC, AIC, score, lower bound, iterations).
"""

import json
import subprocess

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler

OUT = "test/reference/expected/gmm-mall-bic.json"
SOURCE = "../shared/datasets/mall_customers/Mall_Customers.csv"
REG_COVAR = 1e-6
GENERATOR = f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, pandas {pd.__version__}"


def seg_picks() -> dict:
    out = subprocess.run(
        ["npx", "tsx", "test/reference/gmm_mall_seeds.ts"], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


def fit_from_partition(X: np.ndarray, labels: np.ndarray, k: int) -> GaussianMixture:
    resp = np.zeros((X.shape[0], k))
    resp[np.arange(X.shape[0]), labels] = 1
    model = GaussianMixture(
        n_components=k, covariance_type="full", reg_covar=REG_COVAR, tol=1e-3, max_iter=100, random_state=0
    )
    # fit_predict calls _initialize_parameters(X, random_state), which for init_params="kmeans" makes
    # one-hot responsibilities from KMeans labels and calls _initialize(X, resp): the same, with ours.
    model._initialize_parameters = lambda X_, random_state: model._initialize(X_, resp)
    model.fit_predict(X)
    return model


def main() -> None:
    seeds = seg_picks()
    mall = pd.read_csv(SOURCE)
    X = StandardScaler().fit_transform(mall[seeds["features"]].to_numpy(dtype=np.float64))
    fits = []
    for k in seeds["ks"]:
        rows = seeds["picks"][str(k)]
        kmeans = KMeans(n_clusters=k, init=X[rows], n_init=1, algorithm="lloyd").fit(X)
        partition = kmeans.labels_
        model = fit_from_partition(X, partition, k)
        fits.append(
            {
                "k": k,
                "rows": rows,
                "partition": [int(v) for v in partition],
                "kmeansInertia": float(kmeans.inertia_),
                "kmeansIterations": int(kmeans.n_iter_),
                "bic": float(model.bic(X)),
                "aic": float(model.aic(X)),
                "score": float(model.score(X)),
                "lowerBound": float(model.lower_bound_),
                "nIter": int(model.n_iter_),
                "converged": bool(model.converged_),
            }
        )
    payload = {
        "generator": GENERATOR,
        "source": SOURCE,
        "features": seeds["features"],
        "transform": "StandardScaler",
        "seed": seeds["seed"],
        "covariance": "full",
        "regCovar": REG_COVAR,
        "n": int(X.shape[0]),
        "fits": fits,
    }
    with open(OUT, "w") as f:
        json.dump(payload, f)
        f.write("\n")


if __name__ == "__main__":
    main()
