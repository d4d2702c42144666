#!/bin/sh
# bench.sh measures disco's reader of audio-feature CSV tables
# (features/tidycsv) against pandas (pd.read_csv, dtypes given, C engine:
# read_pandas.py) and Python's csv module (read.py) on the same file, in
# the same run, and then a generated 1,000,000-row table against pandas,
# in process and whole process, with peak memory.
#
# usage: bench/csvread/bench.sh [spotify_songs.csv]
#
# The file defaults to ../shared/data/spotify_songs.csv beside the
# repository. ROUNDS (default 3) alternating rounds each read the file RUNS
# (default 10) times with each reader, the same number each side; a
# reader's figure is the median over rounds of its per-round median, with
# the range of those medians. ROUNDS1M (default 3) alternating rounds
# each run every reader once on the 1M-row file as a whole process under
# GNU time (in process: the read as the reader times it; whole process:
# start to exit, interpreter and imports included). Python's csv module
# takes tens of seconds on that file: PYCSV1M=1 adds it. PYTHON defaults
# to /usr/bin/python3; a peer that is missing is said so and left out.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:-$root/../shared/data/spotify_songs.csv}
rounds=${ROUNDS:-3}
runs=${RUNS:-10}
rounds1m=${ROUNDS1M:-3}
py=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$root"
go build -o "$tmp/csvread" ./bench/csvread
pandas=yes
"$py" -c 'import pandas' 2>/dev/null || { pandas=no; echo "pandas missing ($py -c 'import pandas' failed): its rows are left out"; }
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "file: $data; $rounds rounds of $runs runs each side"
i=0
while [ "$i" -lt "$rounds" ]; do
	"$tmp/csvread" -n "$runs" "$data" | tee -a "$tmp/disco.txt"
	[ $pandas = no ] || "$py" bench/csvread/read_pandas.py -n "$runs" "$data" | tee -a "$tmp/pandas.txt"
	"$py" bench/csvread/read.py -n "$runs" "$data" | tee -a "$tmp/csv.txt"
	i=$((i + 1))
done

# stats FILE PATTERN: the median and range of the numbers PATTERN (a sed
# expression capturing one number) finds in FILE's lines.
stats() {
	sed -n "s/$2/\1/p" "$1" | sort -n | awk '{ a[NR] = $1 } END {
		m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2
		printf "%.1f %.1f-%.1f\n", m, a[1], a[NR] }'
}
summary() { # NAME FILE
	w=$(stats "$2" '.*median \([0-9.]*\) ms wall.*')
	c=$(stats "$2" '.*median \([0-9.]*\) ms CPU.*')
	echo "$1 $w $c" >>"$tmp/summary"
}
summary disco "$tmp/disco.txt"
[ $pandas = no ] || summary pandas "$tmp/pandas.txt"
summary csv "$tmp/csv.txt"
awk '{ wall[$1] = $2; cpu[$1] = $4; printf "%-7s median wall %7.1f ms [%s], median CPU %7.1f ms [%s]\n", $1, $2, $3, $4, $5 }
END {
	for (k in wall) if (k != "disco") printf "disco vs %s: %.1fx faster by median wall, %.1fx by median CPU\n", k, wall[k] / wall["disco"], cpu[k] / cpu["disco"]
}' "$tmp/summary"
if [ $pandas = yes ]; then
	echo "pandas read_csv alone (no grouping), median of round medians: $(stats "$tmp/pandas.txt" '.*read_csv alone best [0-9.]* ms, median \([0-9.]*\) ms.*' | cut -d' ' -f1) ms"
fi

echo "1,000,000 rows generated from $data:"
"$tmp/csvread" -gen 1000000 -o "$tmp/1M.csv" "$data"
ls -l "$tmp/1M.csv" | awk '{ printf "  %.0f MB\n", $5 / 1e6 }'
# one1m NAME CMD...: one whole-process run under GNU time; appends "NAME
# in-process-ms whole-process-s peak-MiB" to $tmp/1m.
one1m() {
	name=$1
	shift
	/usr/bin/time -v -o "$tmp/time" "$@" >"$tmp/out" 2>&1 || { cat "$tmp/out"; exit 1; }
	inproc=$(sed -n 's/.*best \([0-9.]*\) ms.*/\1/p' "$tmp/out")
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
	echo "$name $inproc $wall $((rss / 1024))" | tee -a "$tmp/1m" | sed 's/^/  /'
}
echo "  reader in-process-ms whole-process-s peak-MiB, $rounds1m alternating rounds"
i=0
while [ "$i" -lt "$rounds1m" ]; do
	one1m disco "$tmp/csvread" -n 1 "$tmp/1M.csv"
	[ $pandas = no ] || one1m pandas "$py" bench/csvread/read_pandas.py -n 1 "$tmp/1M.csv"
	[ "${PYCSV1M:-0}" = 0 ] || one1m csv "$py" bench/csvread/read.py -n 1 "$tmp/1M.csv"
	i=$((i + 1))
done
awk 'function med(k, col,    n, i, j, t, a) {
	n = 0; for (i = 1; i <= NR; i++) if (name[i] == k) a[++n] = v[i, col]
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	lo[k, col] = a[1]; hi[k, col] = a[n]
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
{ name[NR] = $1; v[NR, 2] = $2; v[NR, 3] = $3; v[NR, 4] = $4; if (!seen[$1]++) order[++nk] = $1 }
END {
	for (i = 1; i <= nk; i++) {
		k = order[i]
		a = med(k, 2); b = med(k, 3); c = med(k, 4)
		ip[k] = a; wp[k] = b
		printf "  %-7s median in process %8.0f ms [%.0f-%.0f], whole process %6.2f s [%.2f-%.2f], peak RSS %5.0f MiB\n", k, a, lo[k, 2], hi[k, 2], b, lo[k, 3], hi[k, 3], c
	}
	for (i = 1; i <= nk; i++) if (order[i] != "disco") {
		k = order[i]
		printf "  disco vs %s on 1M rows: %.2fx faster in process, %.2fx whole process\n", k, ip[k] / ip["disco"], wp[k] / wp["disco"]
	}
}' "$tmp/1m"
