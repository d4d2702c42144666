"""Summarise bench/flowreg/run.sh's disco train --cv JSON files: per setting
and kind of cross-validation, the RNN's MAE relative to the running mean
(mean ± sd over the folds, the worst fold) and DISCO's catalog MRR against
the centroid's, seed by seed and over the seeds."""
import json
import os
import statistics as st
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/flowreg"
names = [("base", "defaults (no noise, no dropout)"), ("noise0.1", "--input-noise 0.1"),
         ("noise0.25", "--input-noise 0.25"), ("drop0.1", "--dropout 0.1"), ("drop0.25", "--dropout 0.25")]
for cv, title in [("genre", "leave-one-genre-out"), ("5", "5-fold")]:
    print(f"{title} (--cv {cv})\n")
    print("| setting | seed | RNN vs running mean, mean ± sd | worst fold | catalog MRR: DISCO / centroid | DISCO − centroid, mean ± sd | folds below the mean / MRR above the centroid |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for n, label in names:
        gains = []
        for s in (1, 2, 3):
            path = os.path.join(out, f"s{s}-cv{cv}-{n}.json")
            if not os.path.exists(path):
                continue
            r = json.load(open(path))
            g = [f["rnn_vs_mean"] * 100 for f in r["folds"]]
            d = [f["catalog_mrr"] - f["centroid_catalog_mrr"] for f in r["folds"]]
            w = max(r["folds"], key=lambda f: f["rnn_vs_mean"])
            gains.append(st.mean(g))
            k = len(g)
            print(f"| {label} | {s} | {st.mean(g):+.2f}% ± {st.stdev(g):.2f} | {w['rnn_vs_mean']*100:+.2f}% ({w['fold']}) "
                  f"| {r['mean']['catalog_mrr']:.4f} / {r['mean']['centroid_catalog_mrr']:.4f} | {st.mean(d):+.4f} ± {st.stdev(d):.4f} "
                  f"| {r['folds_rnn_below_running_mean']}/{k}, {r['folds_mrr_above_centroid']}/{k} |")
        if len(gains) > 1:
            print(f"| {label} | 1-3 | {st.mean(gains):+.2f}% (the seeds' means) | | | | |")
    print()
