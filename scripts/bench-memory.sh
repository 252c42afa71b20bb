#!/usr/bin/env bash
# Peak memory of `baocao render` of a generated appendix (reports/sample) as
# a whole process, for plans of 100 to 50,000 tasks, with both binaries:
# baocao (everything) and baocao-render (the same code built with -tags
# renderonly: render and report without the server; README: "Memory").
# Builds them as the Dockerfile does (static, -trimpath, -s -w), writes
# each plan with scripts/sampleplan, renders it RUNS times (default 3)
# under /usr/bin/time -v and prints, per binary and size, the output's
# size, the median peak RSS, the mean user and system CPU time, the median
# wall time and the RSS per task; the line "help" is the process before it
# reads anything (`help`).
# Usage: [RUNS=3] scripts/bench-memory.sh [pdf|xlsx] [tasks …]
set -euo pipefail
cd "$(dirname "$0")/.."
format=${1:-pdf}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000 50000)
runs=${RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
scripts/build-binaries.sh "$tmp" # as installed
go build -o "$tmp/sampleplan" ./scripts/sampleplan
# measure LABEL TASKS COMMAND…: RUNS runs of the command; one line.
measure() {
	local label=$1 n=$2 size=0
	shift 2
	for _ in $(seq "$runs"); do
		/usr/bin/time -v -o "$tmp/time.txt" "$@" >/dev/null 2>"$tmp/err.txt" || { cat "$tmp/err.txt"; exit 1; }
		awk -F': ' '/Maximum resident set size/ {r=$2} /User time/ {u=$2} /System time/ {s=$2}
			/Elapsed \(wall clock\)/ {split($2, p, ":"); w = (length(p) == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2]}
			END {print r, u, s, w}' "$tmp/time.txt"
	done >"$tmp/runs.txt"
	[ -f "$tmp/out.$format" ] && size=$(stat -c %s "$tmp/out.$format")
	# the medians of the RSS and the wall time, the means of the CPU times
	local rss wall
	rss=$(cut -d' ' -f1 "$tmp/runs.txt" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
	wall=$(cut -d' ' -f4 "$tmp/runs.txt" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
	awk -v label="$label" -v n="$n" -v size="$size" -v rss="$rss" -v wall="$wall" '
		{u += $2; s += $3}
		END {
			printf "%-14s %8s %10.1f %12.1f %8.2f %8.2f %8.2f %12s\n", label, n, size / 1048576, rss / 1024, u / NR, s / NR, wall,
				(n ~ /^[0-9]+$/) ? sprintf("%.1f", rss / n) : "" }' "$tmp/runs.txt"
}
printf '%-14s %8s %10s %12s %8s %8s %8s %12s\n' binary tasks output_MB peak_RSS_MB user_s sys_s wall_s RSS_KB/task
for bin in baocao baocao-render; do
	rm -f "$tmp/out.$format"
	measure "$bin" help "$tmp/$bin" help
done
for n in "${sizes[@]}"; do
	"$tmp/sampleplan" -tasks "$n" >"$tmp/plan.json"
	for bin in baocao baocao-render; do
		measure "$bin" "$n" "$tmp/$bin" render --in "$tmp/plan.json" --doc appendix \
			--format "$format" --out "$tmp/out.$format" --max-input $((1 << 30))
	done
done
