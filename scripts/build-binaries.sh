#!/usr/bin/env bash
# Builds baocao and baocao-render (-tags renderonly) into DIR as the
# Dockerfile builds them (static, -trimpath, -s -w) and as they run once
# installed: copies of what the linker wrote, which sits in the page cache
# in large folios, and mapping it counts about 17 MB more of it in the RSS
# (baocao help: 42 MB instead of 25 MB). Used by the benchmark scripts.
# Usage: scripts/build-binaries.sh DIR
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: scripts/build-binaries.sh DIR}
build() { CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" "$@"; }
build -o "$dir/baocao.linked" ./cmd/baocao
build -tags renderonly -o "$dir/baocao-render.linked" ./cmd/baocao
cp "$dir/baocao.linked" "$dir/baocao"
cp "$dir/baocao-render.linked" "$dir/baocao-render"
rm "$dir/baocao.linked" "$dir/baocao-render.linked"
