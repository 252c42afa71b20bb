#!/usr/bin/env bash
# The same appendix made into a PDF by whole processes, side by side, with
# hyperfine: `baocao render` (the one binary), `baocao-render` (built with
# -tags renderonly: README "Memory"), and LibreOffice converting baocao's
# DOCX of that appendix (`soffice --headless --convert-to pdf`, its
# profile made beforehand, as a server's would be). README "Benchmarks".
# Installs hyperfine and LibreOffice Writer if they are missing.
# Usage: [RUNS=20] scripts/bench-whole.sh [plan.json]
set -euo pipefail
cd "$(dirname "$0")/.."
plan=$(realpath "${1:-testdata/plans/lai-chau-2024.json}")
runs=${RUNS:-20}
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
if [ ${#need[@]} -gt 0 ]; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
scripts/build-binaries.sh "$tmp" # as installed
"$tmp/baocao" render --in "$plan" --doc appendix --format docx --out "$tmp/appendix.docx" >/dev/null
profile="-env:UserInstallation=file://$tmp/lo-profile"
soffice "$profile" --headless --convert-to pdf --outdir "$tmp/lo" "$tmp/appendix.docx" >/dev/null 2>&1
hyperfine --warmup 2 --runs "$runs" --shell=none \
	-n baocao "$tmp/baocao render --in $plan --doc appendix --format pdf --out $tmp/a.pdf" \
	-n baocao-render "$tmp/baocao-render render --in $plan --doc appendix --format pdf --out $tmp/b.pdf" \
	-n libreoffice "soffice $profile --headless --convert-to pdf --outdir $tmp/lo $tmp/appendix.docx"
