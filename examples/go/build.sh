#!/usr/bin/env bash
# Builds hello.wasm (GOOS=wasip1, a WASI preview 1 command module) with Go 1.21 or newer.
# Debian bookworm's own Go is 1.19 (no wasip1); bookworm-backports has 1.23:
#   echo "deb http://deb.debian.org/debian bookworm-backports main" > /etc/apt/sources.list.d/bookworm-backports.list
#   apt-get update && apt-get install --no-install-recommends -t bookworm-backports golang-1.23-go
# GOTOOLCHAIN=local stops go from downloading another toolchain; -trimpath and -buildvcs=false keep
# the output independent of the checkout's path and git state; -s -w drop the symbol table and DWARF.
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${GO:-}" ]; then
  if [ -x /usr/lib/go-1.23/bin/go ]; then GO=/usr/lib/go-1.23/bin/go; else GO=go; fi
fi
GOTOOLCHAIN=local GOOS=wasip1 GOARCH=wasm "$GO" build -ldflags='-s -w' -trimpath -buildvcs=false -o hello.wasm .
chmod 0644 hello.wasm
printf '%8d  %s\n' "$(wc -c < hello.wasm)" "go/hello.wasm"
