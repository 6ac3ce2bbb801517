#!/usr/bin/env bash
# Builds hello.wasm from assembly/index.ts with AssemblyScript and its WASI shim, both pinned in
# package.json / package-lock.json and installed into ./node_modules by npm ci (node 18+).
set -euo pipefail
cd "$(dirname "$0")"
[ -x node_modules/.bin/asc ] || npm ci --no-audit --no-fund
npx asc assembly/index.ts --config ./node_modules/@assemblyscript/wasi-shim/asconfig.json -O3z --noAssert -o hello.wasm
chmod 0644 hello.wasm
printf '%8d  %s\n' "$(wc -c < hello.wasm)" "assemblyscript/hello.wasm"
