#!/usr/bin/env bash
# Builds hello.wasm from hello.c with Debian's clang and wasi-libc:
#   apt-get install --no-install-recommends clang lld wasi-libc libclang-rt-14-dev-wasm32
# Debian's clang finds wasi-libc (/usr/include/wasm32-wasi, /usr/lib/wasm32-wasi) from the target alone.
# With the WASI SDK instead: $WASI_SDK/bin/clang --sysroot=$WASI_SDK/share/wasi-sysroot ... (same flags).
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-clang}
"$CC" --target=wasm32-wasi -O2 -Wall -Wextra -Wl,--strip-all -o hello.wasm hello.c
chmod 0644 hello.wasm
printf '%8d  %s\n' "$(wc -c < hello.wasm)" "c/hello.wasm"
