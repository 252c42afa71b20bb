#!/usr/bin/env bash
# Measures `baocao render` of a seed appendix as a whole process (start-up,
# reading the plan, rendering, writing the PDF): builds the binary, then runs
# it with hyperfine if installed (apt-get install hyperfine), else a loop
# timed with /usr/bin/time. Usage: scripts/bench-render.sh [plan.json] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
plan=${1:-testdata/plans/lai-chau-2024.json}
runs=${2:-30}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/baocao" ./cmd/baocao
cmd="$tmp/baocao render --in $plan --doc appendix --format pdf --out $tmp/out.pdf"
if command -v hyperfine >/dev/null; then
	hyperfine --warmup 3 --runs "$runs" --shell=none "$cmd"
else
	$cmd 2>/dev/null # warm the file cache
	start=$(date +%s%N)
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e s, %M KB max RSS' $cmd 2>&1 >/dev/null | tail -1
	done
	end=$(date +%s%N)
	echo "mean: $(((end - start) / runs / 1000000)) ms per render ($runs runs)"
fi
