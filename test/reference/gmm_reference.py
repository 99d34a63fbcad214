"""Reference Gaussian mixture fits for seg.gmm (test/seg/gmm.test.ts compares against the JSON).

Run from the repository root:  TZ=UTC /usr/bin/python3 test/reference/gmm_reference.py
Writes test/reference/expected/gmm-reference.json.

Data: Mall Customers (income and spending score, StandardScaler) and Wholesale (six spend columns,
log1p then StandardScaler). For each covariance type ("full", "diag") and k = 2..6 the starting point
is made from a k-means partition (KMeans started from sklearn's k-means++ centres for random_state=0,
n_init=1): one-hot responsibilities -> sklearn's own _estimate_gaussian_parameters (reg_covar 1e-6)
-> weights, means and precisions (inverse covariances). GaussianMixture is fitted from exactly those
weights_init / means_init / precisions_init, which the test also passes to seg.gmm as `init`, so both
run EM from the same parameters and must agree on labels, weights, means, score, BIC and AIC.
"""

import json

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.mixture import GaussianMixture
from sklearn.mixture._gaussian_mixture import _estimate_gaussian_parameters
from sklearn.preprocessing import StandardScaler

OUT = "test/reference/expected/gmm-reference.json"
KS = [2, 3, 4, 5, 6]
REG_COVAR = 1e-6
GENERATOR = f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, pandas {pd.__version__}"


def initial(X: np.ndarray, k: int, covariance: str) -> dict:
    centres, _ = kmeans_plusplus(X, k, random_state=0)
    labels = KMeans(n_clusters=k, init=centres, n_init=1).fit(X).labels_
    resp = np.zeros((X.shape[0], k))
    resp[np.arange(X.shape[0]), labels] = 1
    nk, means, covariances = _estimate_gaussian_parameters(X, resp, REG_COVAR, covariance)
    weights = nk / X.shape[0]
    weights = weights / weights.sum()  # exactly 1 within rounding, as weights_init must be
    if covariance == "full":
        precisions = np.array([np.linalg.inv(c) for c in covariances])
        precisions = (precisions + precisions.transpose(0, 2, 1)) / 2  # exactly symmetric
    else:
        precisions = 1.0 / covariances
    return {"weights": weights, "means": means, "precisions": precisions}


def fits(X: np.ndarray) -> list:
    out = []
    for covariance in ["full", "diag"]:
        for k in KS:
            init = initial(X, k, covariance)
            model = GaussianMixture(
                n_components=k,
                covariance_type=covariance,
                reg_covar=REG_COVAR,
                tol=1e-3,
                max_iter=100,
                weights_init=init["weights"],
                means_init=init["means"],
                precisions_init=init["precisions"],
                random_state=0,
            )
            labels = model.fit_predict(X)
            proba = model.predict_proba(X)
            out.append(
                {
                    "covariance": covariance,
                    "k": k,
                    "init": {key: value.tolist() for key, value in init.items()},
                    "labels": [int(v) for v in labels],
                    "probability": [float(proba[i, labels[i]]) for i in range(X.shape[0])],
                    "weights": model.weights_.tolist(),
                    "means": model.means_.tolist(),
                    "covariances": model.covariances_.tolist(),
                    "score": float(model.score(X)),
                    "bic": float(model.bic(X)),
                    "aic": float(model.aic(X)),
                    "lowerBound": float(model.lower_bound_),
                    "nIter": int(model.n_iter_),
                    "converged": bool(model.converged_),
                }
            )
    return out


def main() -> None:
    mall_source = "../shared/datasets/mall_customers/Mall_Customers.csv"
    mall = pd.read_csv(mall_source)
    mall_features = ["Annual Income (k$)", "Spending Score (1-100)"]
    mall_X = StandardScaler().fit_transform(mall[mall_features].to_numpy(dtype=np.float64))

    wholesale_source = "../shared/datasets/wholesale/wholesale_customers.csv"
    wholesale = pd.read_csv(wholesale_source)
    spend = ["Fresh", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen"]
    wholesale_X = StandardScaler().fit_transform(np.log1p(wholesale[spend].to_numpy(dtype=np.float64)))

    payload = {
        "generator": GENERATOR,
        "regCovar": REG_COVAR,
        "datasets": [
            {
                "name": "mall",
                "source": mall_source,
                "features": mall_features,
                "transform": "StandardScaler",
                "n": int(mall_X.shape[0]),
                "fits": fits(mall_X),
            },
            {
                "name": "wholesale",
                "source": wholesale_source,
                "features": spend,
                "transform": "log1p then StandardScaler",
                "n": int(wholesale_X.shape[0]),
                "fits": fits(wholesale_X),
            },
        ],
    }
    with open(OUT, "w") as f:
        json.dump(payload, f)
        f.write("\n")


if __name__ == "__main__":
    main()
