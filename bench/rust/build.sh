#!/usr/bin/env bash
# Rebuilds bench/wasm/rust-1m.wasm from bench/rust/rust_1m.rs. The built module is committed, so
# running the benchmark needs no Rust toolchain; this script is only for changing the module.
#
# Needs Debian's rustc and its wasm32 std (rustup's rustc has no wasm32-wasi target, so Debian's is
# called by full path):  apt-get install -y --no-install-recommends rustc libstd-rust-dev-wasm32
#
# The linear memory is exactly 1 MiB (16 pages, no growth needed for a normal request): a 64 KiB
# stack instead of Rust's default 1 MiB, then data and heap.
set -euo pipefail
cd "$(dirname "$0")"
RUSTC=/usr/bin/rustc
if [ ! -x "$RUSTC" ]; then
  echo "build.sh: $RUSTC missing; apt-get install -y --no-install-recommends rustc libstd-rust-dev-wasm32" >&2
  exit 1
fi
"$RUSTC" --edition 2021 --target wasm32-wasi -C opt-level=s -C strip=symbols -C lto -C codegen-units=1 \
  -C link-arg=-zstack-size=65536 -C link-arg=--initial-memory=1048576 \
  --crate-name rust_1m -o ../wasm/rust-1m.wasm rust_1m.rs
chmod 0644 ../wasm/rust-1m.wasm
if command -v wasm-objdump >/dev/null 2>&1; then
  wasm-objdump -x -j Memory ../wasm/rust-1m.wasm | grep -i pages
fi
printf '%8d  %s\n' "$(wc -c < ../wasm/rust-1m.wasm)" wasm/rust-1m.wasm
