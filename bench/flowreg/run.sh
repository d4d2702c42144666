#!/bin/sh
# Regularisation of the flow model, measured by cross-validation (issue 17):
# disco train --cv genre and --cv 5 with the defaults against input noise
# and dropout between the recurrent layers, seeds 1-3 (seed 1 at two
# strengths each, seeds 2 and 3 at the stronger noise and the lighter
# dropout), then the summary table of the README (summarise.py).
#
#   bench/flowreg/run.sh [OUTDIR]     (about 5 minutes on 2 cores)
set -e
cd "$(dirname "$0")/../.."
out=${1:-/tmp/flowreg}
mkdir -p "$out"
go build -o "$out/disco" ./cmd/disco
for s in 1 2 3; do
	for cv in genre 5; do
		for r in "base:" "noise0.1:--input-noise 0.1" "noise0.25:--input-noise 0.25" "drop0.1:--dropout 0.1" "drop0.25:--dropout 0.25"; do
			name=${r%%:*}
			flags=${r#*:}
			if [ "$s" != 1 ] && { [ "$name" = noise0.1 ] || [ "$name" = drop0.25 ]; }; then
				continue
			fi
			# shellcheck disable=SC2086
			"$out/disco" train --cv "$cv" --workers 2 --seed "$s" --format json $flags >"$out/s$s-cv$cv-$name.json" 2>/dev/null
			echo "seed $s, --cv $cv, $name" >&2
		done
	done
done
python3 bench/flowreg/summarise.py "$out"
