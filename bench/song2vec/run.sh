#!/bin/sh
# Times song2vec training in disco and in gensim (Debian's python3-gensim)
# on the same corpus, settings and number of workers, in one run, and
# prints words per second for each and the ratio.
#
# Usage, from anywhere in the repository:
#   bench/song2vec/run.sh
# Settings come from the environment (defaults in brackets): REPEAT [100]
# copies of the 423 playlists (29,500 occurrences each), VERSIONS [10]
# renamings of the tracks among the copies, DIM [64], WINDOW [5],
# NEGATIVE [5], MIN_COUNT [1], SAMPLE [1e-3], EPOCHS [1], WORKERS [2],
# ROUNDS [3] alternating runs of each (the best of each is compared, since
# the machine may be shared).
set -eu
cd "$(dirname "$0")/../.."
PY=${PY:-/usr/bin/python3}
REPEAT=${REPEAT:-100} VERSIONS=${VERSIONS:-10} DIM=${DIM:-64} WINDOW=${WINDOW:-5}
NEGATIVE=${NEGATIVE:-5} MIN_COUNT=${MIN_COUNT:-1} SAMPLE=${SAMPLE:-1e-3}
EPOCHS=${EPOCHS:-1} WORKERS=${WORKERS:-2} ROUNDS=${ROUNDS:-3}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/bench" ./bench/song2vec
"$tmp/bench" -make-corpus "$tmp/corpus.txt" -repeat "$REPEAT" -versions "$VERSIONS"
echo "corpus: $(wc -l <"$tmp/corpus.txt") playlists, $(wc -w <"$tmp/corpus.txt") track occurrences; dim $DIM window $WINDOW negative $NEGATIVE min_count $MIN_COUNT sample $SAMPLE epochs $EPOCHS workers $WORKERS; $(nproc) CPUs" >&2

settings="-dim $DIM -window $WINDOW -negative $NEGATIVE -min-count $MIN_COUNT -sample $SAMPLE -epochs $EPOCHS -workers $WORKERS"
for r in $(seq "$ROUNDS"); do
	"$tmp/bench" -corpus "$tmp/corpus.txt" $settings | tee -a "$tmp/results.jsonl" >&2
	for mode in lines corpus_file; do
		"$PY" bench/song2vec/gensim_speed.py --corpus "$tmp/corpus.txt" --mode $mode $(echo "$settings" | sed 's/\(^\| \)-\([a-z]\)/\1--\2/g') |
			tee -a "$tmp/results.jsonl" >&2
	done
done

"$PY" - "$tmp/results.jsonl" <<'PYEOF'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
best = {}
for r in runs:
    k = r['impl']
    best.setdefault(k, []).append(r['words_per_sec'])
print(f"{'implementation':<20} {'best words/s':>14} {'all runs':>40}")
for k, v in best.items():
    print(f"{k:<20} {max(v):>14,.0f}   {', '.join(f'{x:,.0f}' for x in v)}")
d = max(best['disco'])
for k in best:
    if k != 'disco':
        print(f"disco / {k}: {d / max(best[k]):.2f}")
PYEOF
