#!/usr/bin/env bash
# Builds hello.wasm from hello.rs with rustc alone (std only, no crates, no Cargo).
# Debian: apt-get install --no-install-recommends rustc libstd-rust-dev-wasm32, then use /usr/bin/rustc
# (a rustup rustc earlier on PATH has no wasm32 target unless you ran: rustup target add wasm32-wasip1).
# The target is wasm32-wasi up to Rust 1.77 and wasm32-wasip1 from 1.78 (wasm32-wasi was removed in 1.84);
# this script uses whichever the compiler knows.
set -euo pipefail
cd "$(dirname "$0")"
RUSTC=${RUSTC:-/usr/bin/rustc}
if "$RUSTC" --print target-list | grep -qx wasm32-wasip1; then TARGET=wasm32-wasip1; else TARGET=wasm32-wasi; fi
# -C codegen-units=1 keeps the output the same from build to build.
"$RUSTC" --edition 2021 --target "$TARGET" -C opt-level=s -C strip=symbols -C lto -C codegen-units=1 \
  --crate-name hello -o hello.wasm hello.rs
chmod 0644 hello.wasm
printf '%8d  %s\n' "$(wc -c < hello.wasm)" "rust/hello.wasm"
