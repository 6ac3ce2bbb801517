#!/usr/bin/env bash
# Checks that every module in wasm/ behaves as README.md says: exact stdout bytes, stderr, exit
# status / trap, fd_write call pattern, plus wasm-validate. Needs node >= 20 (node:wasi), python3,
# cmp, and wabt (wasm-validate, wasm-objdump). Prints one PASS/FAIL line per check; exits 1 on any FAIL.
set -euo pipefail
cd "$(dirname "$0")"
W=wasm
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
RUN=(node --no-warnings run-wasi.mjs)
fails=0; passes=0
pass() { passes=$((passes + 1)); echo "PASS  $*"; }
fail() { fails=$((fails + 1)); echo "FAIL  $*"; }
check() { # check DESC CMD...   (CMD succeeds => PASS)
  local d=$1; shift
  if "$@"; then pass "$d"; else fail "$d"; fi
}
same() { cmp -s "$1" "$2"; }
# run NAME [runner opts/args...]: stdin from $T/in (empty if absent); sets $T/out $T/err and $rc
run() {
  local mod=$1; shift
  local opts=() ; while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  [ -f "$T/in" ] || : > "$T/in"
  set +e
  "${RUN[@]}" "${opts[@]}" "$W/$mod.wasm" "$@" < "$T/in" > "$T/out" 2> "$T/err"
  rc=$?
  set -e
}
exp() { printf "$1" > "$T/exp"; }      # expected stdout (printf format)
status_line() { tail -n 1 "$T/err"; }
module_stderr() { grep -v '^\[run-wasi\]' "$T/err" || true; }

# ---- simple fixed-output modules: name | expected stdout (printf) ----
while IFS='|' read -r name out; do
  rm -f "$T/in"; run "$name"; exp "$out"
  check "$name: stdout bytes exact ($(wc -c < "$T/exp") B)" same "$T/out" "$T/exp"
  check "$name: returns normally, exit 0, no proc_exit, no module stderr" \
    test "$rc" = 0 -a "$(status_line)" = "[run-wasi] exit=0 proc_exit_called=no" -a -z "$(module_stderr)"
  run "$name" --trace
  check "$name: exactly one fd_write (fd 1)" test "$(grep -c 'fd_write' "$T/err")" = 1 -a "$(grep -c 'fd_write fd=1 ' "$T/err")" = 1
done <<'LIST'
crlf|Content-Type: text/plain\r\n\r\nOh hi world\r\n
status|Status: 404 Not Found\nContent-Type: text/plain\n\nnot here\n
location|Location: http://example.com/elsewhere\n\n
status-location|Location: http://example.com/created\nStatus: 201 Created\nContent-Type: text/plain\n\ncreated\n
cookies|Content-Type: text/plain\nSet-Cookie: a=1\nSet-Cookie: b=2\nX-Custom: yes\n\ncookies\n
status-only|Status: 204 No Content\n\n
no-blank-line|Content-Type: text/plain\nthis never ends the header block
no-content-type|X-Foo: bar\n\nbody\n
bad-status|Status: abc\nContent-Type: text/plain\n\nbad\n
status-100|Status: 100 Continue\nContent-Type: text/plain\n\nnot final\n
status-101|Status: 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n\n
short-content-length|Content-Type: text/plain\nContent-Length: 1000\n\nhello\n
long-content-length|Content-Type: text/plain\nContent-Length: 3\n\nlonger than declared!\n
interpreted|Content-Type: text/plain\n\nmixed\n
deep|Content-Type: text/plain\n\nreached \n
LIST

# ---- late-short-content-length ----
rm -f "$T/in"; started=$(date +%s%N); run late-short-content-length; ended=$(date +%s%N)
exp 'Content-Type: text/plain\nContent-Length: 1000\n\npartial body\n'
check "late-short-content-length: stdout exact (60 B)" same "$T/out" "$T/exp"
check "late-short-content-length: returns normally after at least 300 ms" \
  test "$rc" = 0 -a "$(status_line)" = "[run-wasi] exit=0 proc_exit_called=no" -a $(( (ended - started) / 1000000 )) -ge 300

# ---- hello (C) ----
rm -f "$T/in"; run hello; exp 'Content-Type: text/plain\n\nHello, world!\n'
check "hello: stdout exact" same "$T/out" "$T/exp"
check "hello: exit 0, no proc_exit" test "$rc" = 0 -a "$(status_line)" = "[run-wasi] exit=0 proc_exit_called=no"

# ---- echo (C) ----
head -c 300000 /dev/urandom > "$T/in"
run echo
{ printf 'Content-Type: application/octet-stream\n\n'; cat "$T/in"; } > "$T/exp"
check "echo: 300000 random bytes come back byte-identical after default header" same "$T/out" "$T/exp"
check "echo: exit 0" test "$rc" = 0 -a "$(status_line)" = "[run-wasi] exit=0 proc_exit_called=no"
run echo --trace
check "echo: stdin read in chunks of at most 64 KiB" \
  python3 -c 'import re,sys; r=[int(m) for m in re.findall(r"fd_read fd=0 errno=0 nread=(\d+)", open(sys.argv[1]).read())]; sys.exit(not (r and max(r)<=65536 and sum(r)==300000 and r[-1]==0))' "$T/err"
run echo -e CONTENT_TYPE=image/png
{ printf 'Content-Type: image/png\n\n'; cat "$T/in"; } > "$T/exp"
check "echo: CONTENT_TYPE=image/png is used as Content-Type" same "$T/out" "$T/exp"
run echo -e CONTENT_TYPE=
{ printf 'Content-Type: application/octet-stream\n\n'; cat "$T/in"; } > "$T/exp"
check "echo: empty CONTENT_TYPE falls back to application/octet-stream" same "$T/out" "$T/exp"
: > "$T/in"; run echo -e 'CONTENT_TYPE=text/plain; charset=utf-8'; exp 'Content-Type: text/plain; charset=utf-8\n\n'
check "echo: empty stdin gives the header only" same "$T/out" "$T/exp"

# ---- env (C) ----
head -c 12345 /dev/urandom > "$T/in"
run env -e REQUEST_METHOD=POST -e 'QUERY_STRING=a=1&b=2' -e EMPTY= -e 'SPACED=x y  z' -- /path/info 'two words' ''
exp 'Content-Type: text/plain\n\nargv[0]=env.wasm\nargv[1]=/path/info\nargv[2]=two words\nargv[3]=\nREQUEST_METHOD=POST\nQUERY_STRING=a=1&b=2\nEMPTY=\nSPACED=x y  z\nbody_len=12345\n'
check "env: argv, environ (in order) and body_len exact" same "$T/out" "$T/exp"
check "env: exit 0" test "$rc" = 0
: > "$T/in"; run env
exp 'Content-Type: text/plain\n\nargv[0]=env.wasm\nbody_len=0\n'
check "env: no env, no args, empty body" same "$T/out" "$T/exp"

# ---- multi (C) ----
: > "$T/in"
run multi --entry _routes; exp '/hello hello\n/goodbye goodbye\n'
check "multi: _routes output exact" same "$T/out" "$T/exp"
run multi --entry hello; exp 'Content-Type: text/plain\n\nhello entrypoint\n'
check "multi: hello entrypoint exact" same "$T/out" "$T/exp"
run multi --entry goodbye; exp 'Status: 404 Not Found\nContent-Type: text/plain\n\ngoodbye entrypoint\n'
check "multi: goodbye entrypoint exact" same "$T/out" "$T/exp"
run multi; exp 'Content-Type: text/plain\n\nmain entrypoint\n'
check "multi: _start (main) exact" same "$T/out" "$T/exp"
run multi --entry nosuch
check "multi: unknown entrypoint reported by runner" test "$rc" = 2
check "multi: exports _start, _routes, hello, goodbye, memory" \
  bash -c 'for e in _start _routes hello goodbye memory; do wasm-objdump -x -j Export "$1" | grep -qF -- "-> \"$e\"" || exit 1; done' _ "$W/multi.wasm"

# ---- rust-env (Rust) ----
head -c 70000 /dev/urandom > "$T/in"
run rust-env -e REQUEST_METHOD=PUT -e X_B=2 -e 'X_A=p=q' -- one 'two three'
exp 'Content-Type: text/plain\n\nhello from Rust\nREQUEST_METHOD=PUT\nargv[0]=rust-env.wasm\nargv[1]=one\nargv[2]=two three\nREQUEST_METHOD=PUT\nX_B=2\nX_A=p=q\nbody_len=70000\n'
check "rust-env: output exact (binary 70000-byte body)" same "$T/out" "$T/exp"
check "rust-env: exit 0, no proc_exit" test "$rc" = 0 -a "$(status_line)" = "[run-wasi] exit=0 proc_exit_called=no"
: > "$T/in"; run rust-env
exp 'Content-Type: text/plain\n\nhello from Rust\nREQUEST_METHOD=\nargv[0]=rust-env.wasm\nbody_len=0\n'
check "rust-env: no REQUEST_METHOD gives empty value" same "$T/out" "$T/exp"

# ---- trap ----
: > "$T/in"; run trap
check "trap: no stdout" test ! -s "$T/out"
check "trap: traps with unreachable" test "$rc" = 3 -a "$(status_line)" = "[run-wasi] trap=unreachable"

# ---- exit0 / exit1 ----
run exit0; exp 'Content-Type: text/plain\n\nexit zero\n'
check "exit0: stdout exact" same "$T/out" "$T/exp"
check "exit0: proc_exit(0) called, exit 0" test "$rc" = 0 -a "$(status_line)" = "[run-wasi] exit=0 proc_exit_called=yes(0)"
run exit1
check "exit1: no stdout" test ! -s "$T/out"
check "exit1: stderr is exactly 'exiting with 1\\n'" test "$(module_stderr | od -An -c | tr -s ' ')" = "$(printf 'exiting with 1\n' | od -An -c | tr -s ' ')"
check "exit1: proc_exit(1), exit 1" test "$rc" = 1 -a "$(status_line)" = "[run-wasi] exit=1 proc_exit_called=yes(1)"

# ---- midfail ----
run midfail; exp 'Content-Type: text/plain\n\npartial body\n'
check "midfail: stdout exact before the trap" same "$T/out" "$T/exp"
check "midfail: traps with unreachable" test "$rc" = 3 -a "$(status_line)" = "[run-wasi] trap=unreachable"

# ---- stderr ----
run stderr; exp 'Content-Type: text/plain\n\nlogged\n'
check "stderr: stdout exact" same "$T/out" "$T/exp"
check "stderr: stderr line exact" test "$(head -n 1 "$T/err")" = "stderr line from module" -a "$(head -c 24 "$T/err" | tail -c 1 | od -An -c | tr -d ' ')" = '\n'
run stderr --trace
check "stderr: fd 2 written first, then fd 1" test "$(grep -o 'fd_write fd=[0-9] len=[0-9]*' "$T/err" | tr '\n' ,)" = "fd_write fd=2 len=24,fd_write fd=1 len=33,"

# ---- split-headers ----
run split-headers; exp 'Content-Type: text/plain\r\nX-A: 1\r\n\r\nbody'
check "split-headers: stdout exact (40 B)" same "$T/out" "$T/exp"
run split-headers --trace
check "split-headers: 40 fd_write calls of 1 byte each" test "$(grep -c 'fd_write fd=1 len=1$' "$T/err")" = 40 -a "$(grep -c fd_write "$T/err")" = 40

# ---- big-body ----
run big-body
python3 -c 'import sys; sys.stdout.buffer.write(b"Content-Type: application/octet-stream\n\n" + bytes(i % 251 for i in range(1048576)))' > "$T/exp"
check "big-body: header + 1048576 bytes of i mod 251 exact" same "$T/out" "$T/exp"
run big-body --trace
check "big-body: 1 fd_write of 40 B, then 16 of 65536 B" \
  test "$(grep -o 'fd_write fd=1 len=[0-9]*' "$T/err" | sort | uniq -c | tr -s ' ' | tr '\n' ,)" = " 1 fd_write fd=1 len=40, 16 fd_write fd=1 len=65536,"

# ---- stream ----
head -c 100000 /dev/urandom > "$T/in"; run stream; exp 'Content-Type: text/plain\n\nfirst\nlast\n'
check "stream: stdout exact with 100000-byte stdin" same "$T/out" "$T/exp"
run stream --trace
check "stream: reads all 100000 bytes until a 0-byte fd_read" \
  python3 -c 'import re,sys; r=[int(m) for m in re.findall(r"fd_read fd=0 errno=0 nread=(\d+)", open(sys.argv[1]).read())]; sys.exit(not (sum(r)==100000 and r[-1]==0))' "$T/err"
# first chunk must be visible while the module is blocked reading an open, silent stdin
mkfifo "$T/fifo"
"${RUN[@]}" "$W/stream.wasm" < "$T/fifo" > "$T/sout" 2> "$T/serr" &
rpid=$!
exec 7> "$T/fifo"          # open the writer end; keep it open, write nothing yet
for _ in $(seq 50); do [ -s "$T/sout" ] && break; sleep 0.1; done
sleep 0.3
printf 'Content-Type: text/plain\n\nfirst\n' > "$T/exp"
check "stream: 'first' chunk is out while module is blocked on stdin" same "$T/sout" "$T/exp"
check "stream: module still running while stdin is open" kill -0 "$rpid"
( trap '' PIPE; printf 'some input' >&7 ) || true; exec 7>&-
set +e; wait "$rpid"; src=$?; set -e
printf 'Content-Type: text/plain\n\nfirst\nlast\n' > "$T/exp"
check "stream: 'last' written after stdin EOF, exit 0" test "$src" = 0 -a "$(cmp -s "$T/sout" "$T/exp" && echo ok)" = ok

# ---- garbage ----
check "garbage: file is exactly 'this is not a wasm module\\n'" bash -c 'cmp -s "$1" <(printf "this is not a wasm module\n")' _ "$W/garbage.wasm"
run garbage
check "garbage: runner cannot load it" test "$rc" = 4
check "garbage: wasm-validate rejects it" bash -c '! wasm-validate "$1" 2>/dev/null' _ "$W/garbage.wasm"

# ---- every real module: validates, imports only wasi_snapshot_preview1, exports memory + _start ----
# (http-* modules may also import wasi_experimental_http; http-nomem exports its memory as "mem" on purpose)
for f in "$W"/*.wasm; do
  n=$(basename "$f" .wasm); [ "$n" = garbage ] && continue
  check "$n: wasm-validate" wasm-validate "$f"
  case "$n" in http-*) allowed='wasi_snapshot_preview1\.|wasi_experimental_http\.' ;; *) allowed='wasi_snapshot_preview1\.' ;; esac
  check "$n: imports only from ${allowed//\\./}" \
    bash -c '! wasm-objdump -x -j Import "$1" 2>/dev/null | grep "<- " | grep -Ev "<- ($2)" | grep -q .' _ "$f" "$allowed"
  if [ "$n" = http-nomem ]; then
    check "$n: exports _start and its memory as \"mem\", not \"memory\"" \
      bash -c 'x=$(wasm-objdump -x -j Export "$1"); grep -q "\"mem\"" <<<"$x" && ! grep -q "\"memory\"" <<<"$x" && grep -q "\"_start\"" <<<"$x"' _ "$f"
    continue
  fi
  check "$n: exports memory and _start" \
    bash -c 'x=$(wasm-objdump -x -j Export "$1"); grep -q "\"memory\"" <<<"$x" && grep -q "\"_start\"" <<<"$x"' _ "$f"
done

echo "----"
echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
