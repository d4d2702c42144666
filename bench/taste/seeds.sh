#!/bin/sh
# Scores of the taste model against logistic regression and the majority
# class on the embedded catalog, over 5 seeds (each seed changes the
# held-out split, the validation split, the initial weights and the batch
# order). Usage: bench/taste/seeds.sh DISCO OUTDIR [extra taste train flags]
# Prints one line per seed and predictor, then mean and sd.
set -e
disco=${1:?disco binary}; out=${2:?output directory}; shift 2
mkdir -p "$out"
for s in 1 2 3 4 5; do
	"$disco" taste train --seed "$s" --out "$out/seed$s.disco" --format json "$@" > "$out/seed$s.json" 2> "$out/seed$s.log"
done
python3 - "$out" <<'PY'
import json, sys, statistics as st
out = sys.argv[1]
rows = {}
for s in range(1, 6):
    r = json.load(open(f"{out}/seed{s}.json"))
    for p in r["results"]:
        sc = p["scores"]
        rows.setdefault(p["name"], []).append((sc["auc"], sc["f1"], sc["accuracy"]))
        print(f"seed {s}  {p['name']:<24} AUC {sc['auc']:.4f}  F1 {sc['f1']:.4f}  accuracy {sc['accuracy']:.4f}")
print()
print(f"{'predictor':<24} {'AUC mean ± sd':>17} {'F1 mean ± sd':>17} {'accuracy mean ± sd':>19}")
for name, v in rows.items():
    f = lambda i: f"{st.mean(x[i] for x in v):.3f} ± {st.stdev(x[i] for x in v):.3f}"
    print(f"{name:<24} {f(0):>17} {f(1):>17} {f(2):>19}")
PY
