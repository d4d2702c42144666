#!/usr/bin/env python3
"""Reference for model/tsne's neighbourhood test (TestMatchesScikitLearn).

Writes points.csv (600 points in 10 dimensions: 6 overlapping Gaussian
clusters, numpy seed 14) and sklearn.json: the share of each point's 10
nearest neighbours that scikit-learn's TSNE keeps in the plane, for its
exact and Barnes-Hut methods (perplexity 30, random init, 1000 iterations,
learning rate "auto"), over 3 seeds. The Go test reads both, so CI needs no
Python. Regenerate with: /usr/bin/python3 reference.py (Debian: apt-get install
python3-sklearn; scikit-learn 1.2.1 made the committed files).
"""
import json

import numpy as np
import sklearn
from sklearn.manifold import TSNE
from sklearn.neighbors import NearestNeighbors

rng = np.random.default_rng(14)
n, dim, k = 600, 10, 6
centres = rng.normal(0, 2.5, size=(k, dim))
x = np.concatenate([centres[i] + rng.normal(0, 1, size=(n // k, dim)) for i in range(k)])
np.savetxt("points.csv", x, delimiter=",", fmt="%.17g")
x = np.loadtxt("points.csv", delimiter=",")


def kept(x, y, k=10):
    a = NearestNeighbors(n_neighbors=k + 1).fit(x).kneighbors(x, return_distance=False)[:, 1:]
    b = NearestNeighbors(n_neighbors=k + 1).fit(y).kneighbors(y, return_distance=False)[:, 1:]
    return float(np.mean([len(set(a[i]) & set(b[i])) / k for i in range(len(x))]))


out = {"sklearn": sklearn.__version__, "k": 10, "perplexity": 30}
for method in ["exact", "barnes_hut"]:
    scores = []
    for seed in range(3):
        y = TSNE(n_components=2, perplexity=30, init="random", learning_rate="auto",
                 method=method, random_state=seed).fit_transform(x)
        scores.append(kept(x, y))
    out[method] = scores
json.dump(out, open("sklearn.json", "w"), indent=1)
print(json.dumps(out))
