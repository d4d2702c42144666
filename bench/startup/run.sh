#!/bin/sh
# Times whole disco processes before and after a change, side by side:
# the disco of BASE (a git revision, built from `git archive`) and the
# disco of the working tree, run alternately ROUNDS times each on
#
#   model    disco model info (the floor: no catalog read)
#   build    disco build --seed "Daft Punk - One More Time" (defaults otherwise)
#   sortpop  disco sort --in cmd/disco/testdata/post_teen_pop.csv
#   sort100  disco sort --in ids100.txt (bench/sort/run.sh's 100 songs)
#
# and prints the median, fastest and slowest wall time of each, and the
# new median over the old.
#
# Usage, from anywhere in the repository:
#   bench/startup/run.sh
# Settings from the environment (defaults in brackets): ROUNDS [11];
# BASE [d38561d], the revision before the embedded catalog's binary form.
set -eu
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-11} BASE=${BASE:-d38561d}
SEED="Daft Punk - One More Time"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/base"
git archive "$BASE" | tar -x -C "$tmp/base"
(cd "$tmp/base" && go build -o "$tmp/old" ./cmd/disco)
go build -o "$tmp/new" ./cmd/disco

. bench/lib.sh
# bench/sort/run.sh's 100-song input (sort_input).
sort_input "$tmp/new" "$SEED" "$tmp/ids500.txt"
head -n 100 "$tmp/ids500.txt" >"$tmp/ids100.txt"
echo "base $BASE vs the working tree ($(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo +changes)); $ROUNDS rounds; $(nproc) CPUs; $(go version); load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

for r in $(seq "$ROUNDS"); do
	for v in old new; do
		timed "model.$v" "$tmp/$v" model info
		timed "build.$v" "$tmp/$v" build --seed "$SEED"
		timed "sortpop.$v" "$tmp/$v" sort --in cmd/disco/testdata/post_teen_pop.csv
		timed "sort100.$v" "$tmp/$v" sort --in "$tmp/ids100.txt"
	done
	echo "round $r done" >&2
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

awk '
function median(s, v, n, a, b, x) {
	n = split(substr(s, 2), v, " ")
	for (a = 2; a <= n; a++) { x = v[a]; b = a - 1; while (b >= 1 && v[b] > x) { v[b + 1] = v[b]; b-- } v[b + 1] = x }
	lo = v[1]; hi = v[n]
	return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
{ t[$1] = t[$1] " " $2 / 1e6 }
END {
	split("model build sortpop sort100", names, " ")
	printf "%-8s %9s %9s %9s   %9s %9s %9s   %6s\n", "command", "old med", "fastest", "slowest", "new med", "fastest", "slowest", "new/old"
	for (i = 1; i <= 4; i++) {
		o = median(t[names[i] ".old"]); olo = lo; ohi = hi
		n = median(t[names[i] ".new"])
		printf "%-8s %8.3fs %8.3fs %8.3fs   %8.3fs %8.3fs %8.3fs   %6.2f\n", names[i], o, olo, ohi, n, lo, hi, n / o
	}
}' "$tmp/results.txt"
