#!/usr/bin/python3
"""Writes the scikit-learn goldens for features.FitScaler and features.FitPCA.

Run with Debian 12's python3-sklearn (1.2.1, SciPy 1.10.1, NumPy 1.24.2):

    /usr/bin/python3 model/scale/testdata/scaler/make_golden.py

or `go test ./features -run Golden -regen`, which runs it. It reads the
embedded catalog (../../../../features/builtin/catalog.csv.gz, relative to this script) as
the Go test does: columns by header name, the eight abstract features in
DISCO's order, one row per track_id (its first occurrence), in file order.
It fits PowerTransformer(method="yeo-johnson") on all of them and PCA with
three components on the scaled values, then writes

    scaler/golden.json: lambdas, the StandardScaler's mean_ and scale_, and
        for a subset of rows the raw values, the scaled values and
        inverse_transform of the scaled values; under "extreme", the same
        for synthetic data (written out in full) whose lambdas are far
        from 1 (-16.7, -20, 5, 8) or at the log branches (0, 2);
    pca/golden.json: mean_, components_, explained_variance_ratio_ and the
        projections of the subset's scaled values.

The subset is every 100th track plus, for each feature, the first track
holding its minimum and its maximum; "rows" are 0-based indices into the
de-duplicated tracks.
"""
import csv
import gzip
import json
import os
import sys

import numpy as np
import scipy
import sklearn
from sklearn.decomposition import PCA
from sklearn.preprocessing import PowerTransformer

NAMES = ["acousticness", "danceability", "energy", "instrumentalness",
         "liveness", "loudness", "speechiness", "valence"]
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "..", "..", "..", "features", "builtin", "catalog.csv.gz")


def load():
    seen, ids, rows = set(), [], []
    with gzip.open(SOURCE, "rt", newline="", encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            tid = rec["track_id"]
            if tid in seen:
                continue
            seen.add(tid)
            ids.append(tid)
            rows.append([float(rec[n]) for n in NAMES])
    return ids, np.array(rows, dtype=np.float64)


def rows_list(a):
    return [[float(v) for v in r] for r in a]


def yj_inverse(y, lmbda):
    """Inverse Yeo-Johnson of an array (PowerTransformer's own)."""
    return PowerTransformer()._yeo_johnson_inverse_transform(np.asarray(y, dtype=np.float64), lmbda)


def yj(x, lmbda):
    return PowerTransformer()._yeo_johnson_transform(np.asarray(x, dtype=np.float64), lmbda)


# Columns of the synthetic "extreme" data: (target lambda, mean, sd) of
# normal transformed values; the raw values are their inverse transform, so
# the fitted lambdas land near the targets: far negative and positive
# lambdas on both sign branches, lambdas at the log branches (0, 2) and
# data of both signs.
EXTREME = [
    (-16.7, float(yj([-6.0], -16.7)[0]), abs(float(yj([-6.0], -16.7)[0])) / 5),  # x < 0
    (-20.0, 0.03, 0.004),   # x >= 0, bounded branch
    (5.0, 6.2, 1.5),        # x >= 0
    (8.0, -0.1, 0.015),     # x < 0, bounded branch
    (0.0, 1.0, 0.3),        # x >= 0, log branch
    (2.0, -1.0, 0.3),       # x < 0, log branch
    (1.0, 0.0, 1.0),        # both signs, identity
    (0.5, 0.2, 1.0),        # both signs
]
EXTREME_ROWS = 400


def extreme():
    """Fits PowerTransformer to the synthetic extreme data."""
    from scipy.special import ndtri
    q = ndtri((np.arange(EXTREME_ROWS) + 0.5) / EXTREME_ROWS)
    cols = []
    for j, (lmbda, mu, sd) in enumerate(EXTREME):
        # Interleave the quantiles differently per column so that rows
        # are not sorted in every column alike.
        qq = np.roll(q[::-1] if j % 2 else q, 37 * j)
        cols.append(yj_inverse(mu + sd * qq, lmbda))
    X = np.column_stack(cols)
    assert np.all(np.isfinite(X))
    pt = PowerTransformer(method="yeo-johnson", standardize=True)
    Z = pt.fit_transform(X)
    rows = list(range(0, EXTREME_ROWS, 40))
    return {
        "targets": [t[0] for t in EXTREME],
        "x": rows_list(X),
        "lambdas": [float(v) for v in pt.lambdas_],
        "means": [float(v) for v in pt._scaler.mean_],
        "scales": [float(v) for v in pt._scaler.scale_],
        "rows": rows,
        "scaled": rows_list(Z[rows]),
        "inverse": rows_list(pt.inverse_transform(Z[rows])),
    }


def main():
    ids, X = load()
    subset = set(range(0, len(X), 100))
    for j in range(X.shape[1]):
        subset.add(int(np.argmin(X[:, j])))
        subset.add(int(np.argmax(X[:, j])))
    subset = sorted(subset)

    pt = PowerTransformer(method="yeo-johnson", standardize=True)
    Z = pt.fit_transform(X)
    inv = pt.inverse_transform(Z[subset])

    # svd_solver="full" is deterministic; "auto" would pick "randomized" for
    # this shape, which must (and does) agree since 3+10 oversamples span
    # all 8 dimensions.
    pca = PCA(n_components=3, svd_solver="full").fit(Z)
    auto = PCA(n_components=3, random_state=0).fit(Z)
    assert np.allclose(pca.components_, auto.components_, atol=1e-9)
    assert np.allclose(pca.explained_variance_ratio_, auto.explained_variance_ratio_, atol=1e-12)

    versions = {"sklearn": sklearn.__version__, "scipy": scipy.__version__,
                "numpy": np.__version__, "python": sys.version.split()[0]}
    common = {
        "versions": versions,
        "source": "features/builtin/catalog.csv.gz",
        "features": NAMES,
        "tracks": len(X),
        "rows": subset,
        "ids": [ids[i] for i in subset],
    }
    scaler = dict(common)
    scaler.update({
        "lambdas": [float(v) for v in pt.lambdas_],
        "means": [float(v) for v in pt._scaler.mean_],
        "scales": [float(v) for v in pt._scaler.scale_],
        "raw": rows_list(X[subset]),
        "scaled": rows_list(Z[subset]),
        "inverse": rows_list(inv),
    })
    scaler["extreme"] = extreme()
    pcag = dict(common)
    pcag.update({
        "n_components": 3,
        "svd_solver": "full",
        "mean": [float(v) for v in pca.mean_],
        "components": rows_list(pca.components_),
        "explained_variance_ratio": [float(v) for v in pca.explained_variance_ratio_],
        "projection": rows_list(pca.transform(Z[subset])),
    })
    for sub, obj in (("scaler", scaler), ("pca", pcag)):
        path = os.path.join(HERE, "..", sub, "golden.json")
        with open(path, "w") as f:
            json.dump(obj, f, indent=None, separators=(",", ":"))
            f.write("\n")
        print(f"wrote {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
