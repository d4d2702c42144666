#!/bin/sh
# bench.sh measures disco's reader of audio-feature CSV tables
# (features/tidycsv) against Python's csv module on the same file, in the
# same run, and reads a generated 1,000,000-row table for time and peak
# memory.
#
# usage: bench/csvread/bench.sh [spotify_songs.csv]
#
# The file defaults to ../shared/data/spotify_songs.csv beside the
# repository. ROUNDS (default 3) rounds each read the file RUNS (default
# 20) times with disco and PYRUNS (default 5) times with Python
# (PYTHON, default /usr/bin/python3), alternating; the ratios use the best
# wall time and the median CPU time over all rounds. Targets: disco at most
# 100 ms and at least 5 times faster than Python; the 1M-row file in at
# most 3 s and 1 GiB. Needs Go and GNU time (/usr/bin/time -v).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:-$root/../shared/data/spotify_songs.csv}
rounds=${ROUNDS:-3}
runs=${RUNS:-20}
pyruns=${PYRUNS:-5}
py=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$root"
go build -o "$tmp/csvread" ./bench/csvread
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "file: $data"
i=0
while [ "$i" -lt "$rounds" ]; do
	"$tmp/csvread" -n "$runs" "$data" | tee -a "$tmp/go.txt"
	"$py" bench/csvread/read.py -n "$pyruns" "$data" | tee -a "$tmp/py.txt"
	i=$((i + 1))
done
# best: the smallest "best N ms"; cpu: the smallest "median N ms CPU".
best() { sed -n 's/.*best \([0-9.]*\) ms.*/\1/p' "$1" | sort -n | head -1; }
cpu() { sed -n 's/.*median \([0-9.]*\) ms CPU.*/\1/p' "$1" | sort -n | head -1; }
awk -v gb="$(best "$tmp/go.txt")" -v pb="$(best "$tmp/py.txt")" \
	-v gc="$(cpu "$tmp/go.txt")" -v pc="$(cpu "$tmp/py.txt")" 'BEGIN {
	printf "disco %.1f ms, python %.1f ms best wall: disco %.1fx faster\n", gb, pb, pb / gb
	printf "disco %.1f ms, python %.1f ms median CPU: disco %.1fx faster\n", gc, pc, pc / gc
}'

echo "1,000,000 rows generated from $data:"
"$tmp/csvread" -gen 1000000 -o "$tmp/1M.csv" "$data"
ls -l "$tmp/1M.csv" | awk '{ printf "  %.0f MB\n", $5 / 1e6 }'
/usr/bin/time -v "$tmp/csvread" -n 1 "$tmp/1M.csv" 2>"$tmp/time.txt" | sed 's/^/  /'
grep -E 'Elapsed|Maximum resident' "$tmp/time.txt" | sed 's/^\t*/  /'
