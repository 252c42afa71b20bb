#!/usr/bin/env bash
# Peak memory of `baocao render` of a generated appendix (reports/sample) as
# a whole process, for plans of 100 to 50,000 tasks: builds the binary,
# writes each plan with scripts/sampleplan, renders it with /usr/bin/time -v
# and prints the tasks, the output's size, the peak RSS, the time and the
# RSS per task. Usage: scripts/bench-memory.sh [pdf|xlsx] [tasks …]
set -euo pipefail
cd "$(dirname "$0")/.."
format=${1:-pdf}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000 50000)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/baocao.linked" ./cmd/baocao
# A copy, as an installed binary is: the file the linker has just written
# sits in the page cache in large folios, and mapping it counts about 17 MB
# more of it in the RSS (baocao help: 42 MB instead of 25 MB).
cp "$tmp/baocao.linked" "$tmp/baocao"
go build -o "$tmp/sampleplan" ./scripts/sampleplan
printf '%8s %10s %10s %8s %12s\n' tasks output_MB peak_RSS_MB time_s RSS_KB/task
for n in "${sizes[@]}"; do
	"$tmp/sampleplan" -tasks "$n" >"$tmp/plan.json"
	/usr/bin/time -v -o "$tmp/time.txt" "$tmp/baocao" render --in "$tmp/plan.json" --doc appendix \
		--format "$format" --out "$tmp/out.$format" --max-input $((1 << 30)) 2>"$tmp/err.txt" || { cat "$tmp/err.txt"; exit 1; }
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tmp/time.txt")
	size=$(stat -c %s "$tmp/out.$format")
	awk -v n="$n" -v size="$size" -v rss="$rss" -v wall="$wall" 'BEGIN {
		split(wall, p, ":"); s = (length(p) == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2]
		printf "%8d %10.1f %10.1f %8.2f %12.1f\n", n, size / 1048576, rss / 1024, s, rss / n }'
done
