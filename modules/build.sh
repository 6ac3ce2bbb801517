#!/usr/bin/env bash
# Rebuilds the WAGI test modules from source into wasm/.
#
#   ./build.sh                 build everything
#   ./build.sh wat c ...       build only the given groups: wat, c, rust, garbage
#
# The built .wasm files are committed, so the test suite needs none of these tools.
# Tools (Debian bookworm packages):
#   wat   : wat2wasm                     <- apt-get install wabt
#   c     : clang, wasm-ld, wasi-libc,   <- apt-get install --no-install-recommends
#           clang_rt builtins for wasm32     clang lld wasi-libc libclang-rt-14-dev-wasm32
#   rust  : /usr/bin/rustc + wasm32-wasi <- apt-get install --no-install-recommends rustc libstd-rust-dev-wasm32
#           std (Debian's rustc, called by full path: rustup's rustc has no wasm32 target)
#   garbage: printf only
# Paths passed to the compilers are relative to this directory, so the output does not depend on
# where the repository is checked out.
set -euo pipefail

cd "$(dirname "$0")"
OUT=wasm
RUSTC=/usr/bin/rustc

ALL_GROUPS=(wat c rust garbage)
if [ "$#" -eq 0 ]; then GROUPS_TO_BUILD=("${ALL_GROUPS[@]}"); else GROUPS_TO_BUILD=("$@"); fi
want() { local g; for g in "${GROUPS_TO_BUILD[@]}"; do [ "$g" = "$1" ] && return 0; done; return 1; }
for g in "${GROUPS_TO_BUILD[@]}"; do
  case "$g" in wat|c|rust|garbage) ;; *) echo "build.sh: unknown group '$g' (use: ${ALL_GROUPS[*]})" >&2; exit 2 ;; esac
done

# ---- tool checks: collect every missing package, then fail once ----
missing=()
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("$2 (for $1)"); }
if want wat; then
  need_cmd wat2wasm wabt
fi
if want c; then
  need_cmd clang clang
  need_cmd wasm-ld lld
  if command -v clang >/dev/null 2>&1; then
    [ -f /usr/lib/wasm32-wasi/libc.a ] || missing+=("wasi-libc (for /usr/lib/wasm32-wasi/libc.a)")
    rt=$(clang --target=wasm32-wasi -print-libgcc-file-name 2>/dev/null || true)
    if [ -z "$rt" ] || [ ! -f "$rt" ]; then
      ver=$(clang -dumpversion 2>/dev/null | cut -d. -f1)
      missing+=("libclang-rt-${ver:-14}-dev-wasm32 (for ${rt:-libclang_rt.builtins-wasm32.a})")
    fi
  fi
fi
if want rust; then
  if [ ! -x "$RUSTC" ]; then
    missing+=("rustc (for $RUSTC)" "libstd-rust-dev-wasm32 (wasm32-wasi std)")
  else
    libdir=$("$RUSTC" --print target-libdir --target wasm32-wasi 2>/dev/null || true)
    if [ -z "$libdir" ] || ! compgen -G "$libdir/libstd-*.rlib" >/dev/null; then
      missing+=("libstd-rust-dev-wasm32 (wasm32-wasi std for $RUSTC)")
    fi
  fi
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "build.sh: missing tools; install with apt-get install --no-install-recommends <package>:" >&2
  for m in "${missing[@]}"; do echo "  - $m" >&2; done
  exit 1
fi

mkdir -p "$OUT"
built=()

if want wat; then
  for src in wat/*.wat; do
    name=$(basename "$src" .wat)
    # a source may ask for proposals in a ';; wat2wasm flags: ...' line (legacy-exceptions.wat does)
    read -ra flags <<< "$(sed -n 's/^;; wat2wasm flags: //p' "$src")"
    wat2wasm "${flags[@]}" "$src" -o "$OUT/$name.wasm"
    built+=("$OUT/$name.wasm")
  done
fi

if want c; then
  for src in c/*.c; do
    name=$(basename "$src" .c)
    clang --target=wasm32-wasi -O2 -Wall -Wextra -Wl,--strip-all -o "$OUT/$name.wasm" "$src"
    built+=("$OUT/$name.wasm")
  done
fi

if want rust; then
  for src in rust/*.rs; do
    name=$(basename "$src" .rs)
    # -C codegen-units=1 keeps the output reproducible from build to build
    "$RUSTC" --edition 2021 --target wasm32-wasi -C opt-level=s -C strip=symbols -C lto -C codegen-units=1 \
      --crate-name "${name//-/_}" -o "$OUT/$name.wasm" "$src"
    built+=("$OUT/$name.wasm")
  done
fi

if want garbage; then
  # Not a wasm module at all: lets tests check how an invalid module is reported.
  printf 'this is not a wasm module\n' > "$OUT/garbage.wasm"
  built+=("$OUT/garbage.wasm")
fi

# clang and rustc mark their output executable; keep all outputs plain 0644 files in git.
chmod 0644 "${built[@]}"

# Validate everything that is meant to be wasm (wasm-validate is part of wabt; skip if absent).
if command -v wasm-validate >/dev/null 2>&1; then
  for f in "${built[@]}"; do
    [ "$f" = "$OUT/garbage.wasm" ] && continue
    wasm-validate "$f"
  done
fi

for f in "${built[@]}"; do
  printf '%8d  %s\n' "$(wc -c < "$f")" "$f"
done
