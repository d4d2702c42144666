#!/bin/sh
# Times song2vec training in disco and in gensim (Debian's python3-gensim)
# on an MPD-shaped corpus made by bench/mpdgen, with the same settings and
# number of workers, in one run of alternating rounds, and prints for each
# side the median and range of words/s, peak RSS (/usr/bin/time -v) and
# whole-process wall time.
#
# Usage, from anywhere in the repository:
#   bench/song2vec/run_mpd.sh
#   PLAYLISTS=100000 ROUNDS=3 bench/song2vec/run_mpd.sh
# Settings come from the environment (defaults in brackets): PLAYLISTS
# [10000] over TRACKS [2000000], SEED [1]; DIM [64], WINDOW [5], NEGATIVE
# [5], MIN_COUNT [5], SAMPLE [1e-3], EPOCHS [1], WORKERS [2]; ROUNDS [3];
# DIR, a directory to keep the corpus in (default: a temporary one,
# removed at the end; an existing corpus there of the same flags is
# reused).
#
# Each round runs, in this order:
#   disco-text      go run ./bench/song2vec on the corpus as one playlist a line
#   gensim-lines    gensim fed that file by LineSentence
#   gensim-corpus_file  gensim's C++ reader on that file
#   disco-mpd       disco song2vec --mpd DIR (the JSON slices, end to end)
#   gensim-mpd      gensim fed the slices by Python's json module
# The text and JSON forms hold the same playlists (mpdgen -text). words/s
# counts in-vocabulary occurrences over all epochs per second of training,
# the vocabulary pass excluded (for the -mpd rows the JSON is parsed during
# training, so it counts); wall is the whole process, vocabulary pass
# included. Without gensim (or GNU time) the script says so and prints
# disco's rows alone.
set -eu
cd "$(dirname "$0")/../.."
PY=${PY:-/usr/bin/python3}
PLAYLISTS=${PLAYLISTS:-10000} TRACKS=${TRACKS:-2000000} SEED=${SEED:-1}
DIM=${DIM:-64} WINDOW=${WINDOW:-5} NEGATIVE=${NEGATIVE:-5} MIN_COUNT=${MIN_COUNT:-5}
SAMPLE=${SAMPLE:-1e-3} EPOCHS=${EPOCHS:-1} WORKERS=${WORKERS:-2} ROUNDS=${ROUNDS:-3}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dir=${DIR:-$tmp/mpd}
[ -x /usr/bin/time ] || { echo "run_mpd.sh: needs GNU time (/usr/bin/time, Debian's time package)" >&2; exit 1; }
gensim=yes
"$PY" -c 'import gensim' 2>/dev/null || { gensim=no; echo "run_mpd.sh: gensim missing ($PY -c 'import gensim' failed): disco's rows only, no ratio" >&2; }

go build -o "$tmp/bench" ./bench/song2vec
go build -o "$tmp/disco" ./cmd/disco
go build -o "$tmp/mpdgen" ./bench/mpdgen
echo "disk before the corpus: $(df -h "$(dirname "$dir")" | tail -1)" >&2
stamp="playlists=$PLAYLISTS tracks=$TRACKS seed=$SEED"
if [ -f "$dir/corpus.txt" ] && [ "$(cat "$dir/stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "reusing the corpus in $dir ($stamp)" >&2
else
	rm -rf "$dir"
	t0=$(date +%s%N)
	"$tmp/mpdgen" -out "$dir" -text "$dir/corpus.txt" -playlists "$PLAYLISTS" -tracks "$TRACKS" -seed "$SEED"
	t1=$(date +%s%N)
	echo "$stamp" >"$dir/stamp"
	echo "generated in $(((t1 - t0) / 1000000)) ms: $(du -sh "$dir" | cut -f1) on disk" >&2
fi
echo "corpus: $PLAYLISTS playlists, $(wc -w <"$dir/corpus.txt") track occurrences; dim $DIM window $WINDOW negative $NEGATIVE min_count $MIN_COUNT sample $SAMPLE epochs $EPOCHS workers $WORKERS; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# timed IMPL CMD...: runs CMD under GNU time, its stdout and stderr to
# $tmp/out, and appends "IMPL words/s rss_kb wall_s" to $tmp/rows.
timed() {
	impl=$1
	shift
	/usr/bin/time -v -o "$tmp/time" "$@" >"$tmp/out" 2>&1 || { cat "$tmp/out" >&2; exit 1; }
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
	wps=$(grep -o '"words_per_sec": *[0-9.e+]*\|[0-9]* words/s' "$tmp/out" | tail -1 | grep -o '[0-9][0-9.e+]*' | head -1)
	echo "$impl $wps $rss $wall" | tee -a "$tmp/rows" >&2
}

settings="-dim $DIM -window $WINDOW -negative $NEGATIVE -min-count $MIN_COUNT -sample $SAMPLE -epochs $EPOCHS -workers $WORKERS"
pysettings=$(echo "$settings" | sed 's/\(^\| \)-\([a-z]\)/\1--\2/g')
for r in $(seq "$ROUNDS"); do
	echo "round $r, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
	timed disco-text "$tmp/bench" -corpus "$dir/corpus.txt" $settings
	if [ $gensim = yes ]; then
		timed gensim-lines "$PY" bench/song2vec/gensim_speed.py --corpus "$dir/corpus.txt" --mode lines $pysettings
		timed gensim-corpus_file "$PY" bench/song2vec/gensim_speed.py --corpus "$dir/corpus.txt" --mode corpus_file $pysettings
	fi
	timed disco-mpd "$tmp/disco" song2vec --mpd "$dir" --out "$tmp/vectors.bin" $(echo "$settings" | sed 's/\(^\| \)-\([a-z]\)/\1--\2/g')
	if [ $gensim = yes ]; then
		timed gensim-mpd "$PY" bench/song2vec/gensim_speed.py --corpus "$dir" --mode mpd $pysettings
	fi
done

awk -v rounds="$ROUNDS" '
function median(a, n,    i, j, t) {
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
function range(a, n,    i, lo, hi) {
	lo = hi = a[1]
	for (i = 2; i <= n; i++) { if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i] }
	return sprintf("%.0f-%.0f", lo, hi)
}
{
	k = $1; n = ++cnt[k]; if (n == 1) order[++nk] = k
	w[k, n] = $2; m[k, n] = $3 / 1024; s[k, n] = $4
}
END {
	printf "%-20s %12s %17s %9s %11s %9s %11s\n", "implementation", "words/s", "(range)", "RSS MiB", "(range)", "wall s", "(range)"
	for (i = 1; i <= nk; i++) {
		k = order[i]; n = cnt[k]
		for (j = 1; j <= n; j++) { a[j] = w[k, j]; b[j] = m[k, j]; c[j] = s[k, j] }
		rw = range(a, n); rm = range(b, n)
		lo = c[1]; hi = c[1]; for (j = 2; j <= n; j++) { if (c[j] < lo) lo = c[j]; if (c[j] > hi) hi = c[j] }
		mw[k] = median(a, n); mm[k] = median(b, n); ms[k] = median(c, n)
		printf "%-20s %12.0f %17s %9.0f %11s %9.1f %5.1f-%-5.1f\n", k, mw[k], rw, mm[k], rm, ms[k], lo, hi
	}
	printf "medians of %d alternating rounds\n", rounds
	for (i = 1; i <= nk; i++) {
		k = order[i]
		if (k !~ /^gensim/) continue
		d = (k == "gensim-mpd") ? "disco-mpd" : "disco-text"
		printf "%s / %s: words/s %.2fx; peak RSS %s/%s %.2fx; wall %s/%s %.2fx\n", d, k, mw[d] / mw[k], k, d, mm[k] / mm[d], k, d, ms[k] / ms[d]
	}
}' "$tmp/rows"
