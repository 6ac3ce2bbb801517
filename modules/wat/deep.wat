;; deep.wat: recursion to a depth the request asks for: argv[1] (the query, e.g. "?10000") is a
;; decimal depth. $down calls itself that many times (not a tail call: each level adds to the
;; result), with three parameters and four i64 locals per frame, about what a recursive parser's
;; function keeps. Then it writes "Content-Type: text/plain\n\nreached <argv[1]>\n".
;; Too deep a recursion is a trap ("call stack exhausted"), before anything is written.
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0: argc, 4: argv buffer size, 16: iovecs (3 x 8 bytes), 64: head, 128: argv pointers, 1024: argv strings
  (data (i32.const 64) "Content-Type: text/plain\0a\0areached ")
  (data (i32.const 100) "\0a")

  (func $down (param $n i32) (param $a i64) (param $b i64) (result i64)
    (local $x i64) (local $y i64) (local $z i64) (local $w i64)
    (if (i32.eqz (local.get $n)) (then (return (i64.add (local.get $a) (local.get $b)))))
    (local.set $x (i64.mul (local.get $a) (i64.const 31)))
    (local.set $y (i64.xor (local.get $b) (local.get $x)))
    (local.set $z (call $down (i32.sub (local.get $n) (i32.const 1)) (i64.add (local.get $a) (i64.const 1)) (local.get $y)))
    (local.set $w (i64.add (local.get $z) (local.get $x)))
    (i64.add (local.get $w) (local.get $y)))

  ;; the decimal number at ptr, up to the terminating NUL; 0 if there is none
  (func $parse (param $p i32) (result i32)
    (local $v i32) (local $c i32)
    (block $end
      (loop $digits
        (local.set $c (i32.load8_u (local.get $p)))
        (br_if $end (i32.gt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 9)))
        (local.set $v (i32.add (i32.mul (local.get $v) (i32.const 10)) (i32.sub (local.get $c) (i32.const 48))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $digits)))
    (local.get $v))

  (func $strlen (param $p i32) (result i32)
    (local $n i32)
    (block $end
      (loop $more
        (br_if $end (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $more)))
    (local.get $n))

  (func (export "_start")
    (local $arg i32)
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call $args_get (i32.const 128) (i32.const 1024)))
    ;; argv[1], or argv[0]'s terminating NUL (depth 0) when there is no argv[1]
    (local.set $arg (if (result i32) (i32.gt_u (i32.load (i32.const 0)) (i32.const 1))
      (then (i32.load (i32.const 132)))
      (else (i32.add (i32.load (i32.const 128)) (call $strlen (i32.load (i32.const 128)))))))
    (drop (call $down (call $parse (local.get $arg)) (i64.const 1) (i64.const 2)))
    ;; head, the depth as given, newline
    (i32.store (i32.const 16) (i32.const 64))
    (i32.store (i32.const 20) (i32.const 34))
    (i32.store (i32.const 24) (local.get $arg))
    (i32.store (i32.const 28) (call $strlen (local.get $arg)))
    (i32.store (i32.const 32) (i32.const 100))
    (i32.store (i32.const 36) (i32.const 1))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 3) (i32.const 8)))))
