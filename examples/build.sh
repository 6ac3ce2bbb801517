#!/usr/bin/env bash
# Rebuilds the example handlers: ./build.sh (all) or ./build.sh c rust ... (some).
# Each folder's build.sh says which toolchain it needs; the built hello.wasm files are committed.
set -euo pipefail
cd "$(dirname "$0")"
langs=("$@")
[ "${#langs[@]}" -gt 0 ] || langs=(c rust assemblyscript go zig)
for lang in "${langs[@]}"; do
  [ -x "$lang/build.sh" ] || { echo "build.sh: no example '$lang' (c rust assemblyscript go zig)" >&2; exit 2; }
  "$lang/build.sh"
done
if command -v wasm-validate >/dev/null 2>&1; then
  for lang in "${langs[@]}"; do wasm-validate "$lang/hello.wasm"; done
fi
