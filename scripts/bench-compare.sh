#!/usr/bin/env bash
# Compares the PDF benchmarks of two commits on this machine, whose speed
# moves from minute to minute: builds the test binary of reports/pdf at
# each commit, runs them RUNS times each (default 10), taking turns, and
# compares the runs with benchstat (wall time, CPU time per render,
# memory and allocations). README: "Toward the next 2× on PDF".
# Usage: [RUNS=10] [BENCH=regexp] scripts/bench-compare.sh OLD [NEW]
# (NEW defaults to the work tree as it is, uncommitted changes included).
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: scripts/bench-compare.sh OLD [NEW]}
new=${2:-}
runs=${RUNS:-10}
bench=${BENCH:-'SeedAppendix|Appendix1000$|SeedPlan'}
command -v benchstat >/dev/null || go install golang.org/x/perf/cmd/benchstat@latest
benchstat=$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")
tmp=$(mktemp -d)
cleanup() {
	git worktree remove --force "$tmp/old" 2>/dev/null || true
	git worktree remove --force "$tmp/new" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
build() { # build COMMIT|"" DIR BINARY
	local src=.
	if [ -n "$1" ]; then
		git worktree add -q --detach "$2" "$1"
		src=$2
	fi
	(cd "$src" && go test -c -o "$3" ./reports/pdf)
}
build "$old" "$tmp/old" "$tmp/old.test"
build "$new" "$tmp/new" "$tmp/new.test"
# The test binaries read their fixtures relative to the package.
for i in $(seq "$runs"); do
	for side in old new; do
		(cd reports/pdf && "$tmp/$side.test" -test.run '^$' -test.bench "$bench" -test.benchmem -test.count 1) |
			grep '^Benchmark' >>"$tmp/$side.txt"
	done
	echo "run $i of $runs done" >&2
done
"$benchstat" old="$tmp/old.txt" new="$tmp/new.txt"
