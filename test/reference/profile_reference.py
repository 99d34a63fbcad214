"""Reference values for test/seg/profile.test.ts and test/seg/pca.test.ts (pandas / scikit-learn).

Run from the repository root:  /usr/bin/python3 test/reference/profile_reference.py
Writes test/reference/expected/profile_mall.json and test/reference/expected/pca_wholesale.json.
The tests compare Segbook's DuckDB/TypeScript results against these files; they never run Python.
"""
import json
import os

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

DATASETS = "../shared/datasets"
OUT = "test/reference/expected"
INCOME = "Annual Income (k$)"
SCORE = "Spending Score (1-100)"


def numeric_profile(df, segment, features, weights=None):
    """Segment mean / median / index / z per numeric feature; population std has ddof=0."""
    rows = []
    w_all = df[weights] if weights else pd.Series(1.0, index=df.index)
    for feature in features:
        pop_mean = np.average(df[feature], weights=w_all)
        pop_std = np.sqrt(np.average((df[feature] - pop_mean) ** 2, weights=w_all))
        for seg, group in df.groupby(segment):
            w = group[weights] if weights else pd.Series(1.0, index=group.index)
            mean = float(np.average(group[feature], weights=w)) if weights else float(group[feature].mean())
            rows.append({
                "segment": seg,
                "feature": feature,
                "mean": mean,
                "median": float(group[feature].median()),
                "population": float(pop_mean),
                "index": mean / pop_mean * 100,
                "z_score": (mean - pop_mean) / pop_std,
            })
    return rows


def categorical_profile(df, segment, feature, weights=None):
    w = df[weights] if weights else pd.Series(1.0, index=df.index)
    frame = pd.DataFrame({"segment": df[segment], "level": df[feature], "w": w})
    pop = frame.groupby("level")["w"].sum() / frame["w"].sum()
    within = frame.groupby(["segment", "level"])["w"].sum() / frame.groupby("segment")["w"].sum()
    return [
        {
            "segment": seg,
            "feature": feature,
            "level": level,
            "share": float(share),
            "population": float(pop[level]),
            "index": float(share / pop[level] * 100),
        }
        for (seg, level), share in within.items()
    ]


def sizes(df, segment, revenue=None, weights=None):
    w = df[weights] if weights else pd.Series(1.0, index=df.index)
    out = []
    for seg, group in df.groupby(segment):
        row = {"segment": seg, "size": int(len(group)), "customer_share": float(w[group.index].sum() / w.sum())}
        if revenue:
            row["revenue_share"] = float(group[revenue].sum() / df[revenue].sum())
        out.append(row)
    return out


def mall():
    df = pd.read_csv(f"{DATASETS}/mall_customers/Mall_Customers.csv")
    # Same bands as the test's SQL: CASE WHEN Age < 30 THEN '18-29' WHEN Age < 45 THEN '30-44' ELSE '45+' END
    df["age_band"] = np.select([df["Age"] < 30, df["Age"] < 45], ["18-29", "30-44"], "45+")
    return {
        "by_gender": {
            "sizes": sizes(df, "Gender", revenue=SCORE),
            "numeric": numeric_profile(df, "Gender", ["Age", INCOME, SCORE]),
        },
        "by_age_band": {
            "sizes": sizes(df, "age_band", revenue=INCOME),
            "numeric": numeric_profile(df, "age_band", [INCOME, SCORE]),
            "categorical": categorical_profile(df, "age_band", "Gender"),
        },
        "by_age_band_weighted_by_income": {
            "sizes": sizes(df, "age_band", weights=INCOME),
            "numeric": numeric_profile(df, "age_band", ["Age", SCORE], weights=INCOME),
            "categorical": categorical_profile(df, "age_band", "Gender", weights=INCOME),
        },
    }


def normalise_signs(components):
    """Flip each component so its largest-|loading| entry is positive (sign is arbitrary in PCA)."""
    signs = np.sign(components[np.arange(components.shape[0]), np.argmax(np.abs(components), axis=1)])
    return signs


def wholesale():
    df = pd.read_csv(f"{DATASETS}/wholesale/wholesale_customers.csv")
    features = ["Fresh", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen"]
    x = StandardScaler().fit_transform(np.log1p(df[features].to_numpy(dtype=float)))
    full = PCA().fit(x)
    pca = PCA(n_components=3).fit(x)
    signs = normalise_signs(pca.components_)
    coords = pca.transform(x) * signs
    return {
        "features": features,
        "transform": "log1p-standardize",
        "explained_variance_ratio_all": full.explained_variance_ratio_.tolist(),
        "explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
        "explained_variance": pca.explained_variance_.tolist(),
        "components": (pca.components_ * signs[:, None]).tolist(),
        "customer_id": df["CustomerID"].tolist(),
        "coordinates": coords.tolist(),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(f"{OUT}/profile_mall.json", "w") as f:
        json.dump(mall(), f, indent=1)
        f.write("\n")
    with open(f"{OUT}/pca_wholesale.json", "w") as f:
        json.dump(wholesale(), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
