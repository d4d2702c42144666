# Shell functions the bench scripts share; source it from the repository
# root after setting tmp (a scratch directory).

# sort_input DISCO SEED OUT: writes to OUT the sort benches' input, 500
# catalog songs near SEED in features (a catalog build, so they are real
# neighbours) as an id list, shuffled with a fixed seed.
sort_input() {
	"$1" build --seed "$2" --candidates catalog --pool 2000 --length 500 --format csv -o "$tmp/grown.csv" 2>/dev/null
	tail -n +2 "$tmp/grown.csv" | cut -d, -f3 | awk 'BEGIN { srand(1) } { print rand() "\t" $0 }' | sort -n | cut -f2 >"$3"
}

# timed NAME CMD...: runs CMD once, appending NAME and its wall time in
# microseconds to $tmp/results.txt.
timed() {
	name=$1
	shift
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s%N)
	echo "$name $(((t1 - t0) / 1000))" >>"$tmp/results.txt"
}
