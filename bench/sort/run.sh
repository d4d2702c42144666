#!/bin/sh
# Times whole disco processes with the embedded catalog and model, side by
# side in one run: disco sort of 100 and of 500 songs at the default
# effort, and disco build of 50 songs greedily and with --beam 8. Prints
# the median (and the fastest and slowest) wall time of each over ROUNDS
# runs, the beam's ratio to the greedy build, and the issue's goals.
#
# Usage, from anywhere in the repository:
#   bench/sort/run.sh
# Settings come from the environment (defaults in brackets): ROUNDS [11]
# rounds, each running every command once in turn (so that a busy moment
# of a shared machine falls on all of them alike); EFFORT [normal], the
# sort's --effort; SEED ["Daft Punk - One More Time"], the build's seed
# and the song the sort's input is grown from.
set -eu
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-11} EFFORT=${EFFORT:-normal} SEED=${SEED:-Daft Punk - One More Time}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/disco" ./cmd/disco
disco=$tmp/disco

. bench/lib.sh
# The sort's input (sort_input); the first 100 of them for the smaller sort.
sort_input "$disco" "$SEED" "$tmp/ids500.txt"
head -n 100 "$tmp/ids500.txt" >"$tmp/ids100.txt"
echo "inputs: $(wc -l <"$tmp/ids100.txt") and $(wc -l <"$tmp/ids500.txt") song ids; $ROUNDS rounds; $(nproc) CPUs; $(go version)" >&2

for r in $(seq "$ROUNDS"); do
	timed sort100 "$disco" sort --in "$tmp/ids100.txt" --effort "$EFFORT"
	timed sort500 "$disco" sort --in "$tmp/ids500.txt" --effort "$EFFORT"
	timed build50 "$disco" build --seed "$SEED" --length 50
	timed beam50 "$disco" build --seed "$SEED" --length 50 --beam 8
	echo "round $r done" >&2
done

awk '
{ t[$1] = t[$1] " " $2 / 1e6 }
END {
	split("sort100 sort500 build50 beam50", names, " ")
	split("disco sort, 100 songs|disco sort, 500 songs|disco build --length 50|disco build --length 50 --beam 8", label, "|")
	printf "%-34s %10s %10s %10s\n", "command (whole process)", "median s", "fastest", "slowest"
	for (i = 1; i <= 4; i++) {
		n = split(substr(t[names[i]], 2), v, " ")
		# insertion sort: n is small
		for (a = 2; a <= n; a++) { x = v[a]; b = a - 1; while (b >= 1 && v[b] > x) { v[b + 1] = v[b]; b-- } v[b + 1] = x }
		med[names[i]] = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		printf "%-34s %10.3f %10.3f %10.3f\n", label[i], med[names[i]], v[1], v[n]
	}
	r = med["beam50"] / med["build50"]
	printf "\nbeam / greedy build: %.2f (goal <= 2)\n", r
	printf "goals: sort 100 <= 0.2 s: %s; sort 500 <= 2 s: %s; beam <= 2x greedy: %s\n",
		(med["sort100"] <= 0.2 ? "met" : "NOT met"), (med["sort500"] <= 2 ? "met" : "NOT met"), (r <= 2 ? "met" : "NOT met")
}' "$tmp/results.txt"
