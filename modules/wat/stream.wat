;; stream.wat: proves that output is streamed while the module is still running.
;;   1. fd 1, one fd_write, 32 bytes: Content-Type: text/plain\n\nfirst\n
;;   2. reads stdin with fd_read (4 KiB at a time) until it returns 0 bytes (EOF) or an error,
;;      counting the bytes (the count is kept in $total and not written anywhere)
;;   3. fd 1, a second fd_write, 5 bytes: last\n
;; A host that streams shows "first" to the client while the module is blocked in fd_read.
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "Content-Type: text/plain\n\nfirst\n")  ;; 32 bytes
  (data (i32.const 112) "last\n")                              ;; 5 bytes

  ;; Memory layout: [0,8) iovec {buf, len}; [8,12) nwritten / nread; data from 64;
  ;; read buffer [4096, 8192).
  ;; $write: one fd_write call for the whole buffer. It only calls again if the host reports a
  ;; short write, and gives up on an error or on 0 bytes written.
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $len)))
        (i32.store (i32.const 0) (local.get $ptr))
        (i32.store (i32.const 4) (local.get $len))
        (br_if $done (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
        (br_if $done (i32.eqz (i32.load (i32.const 8))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.load (i32.const 8))))
        (local.set $len (i32.sub (local.get $len) (i32.load (i32.const 8))))
        (br $again))))

  (func (export "_start") (local $n i32) (local $total i64)
    (call $write (i32.const 1) (i32.const 64) (i32.const 32))
    (block $eof
      (loop $read
        (i32.store (i32.const 0) (i32.const 4096))
        (i32.store (i32.const 4) (i32.const 4096))
        (br_if $eof (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
        (local.set $n (i32.load (i32.const 8)))
        (br_if $eof (i32.eqz (local.get $n)))
        (local.set $total (i64.add (local.get $total) (i64.extend_i32_u (local.get $n))))
        (br $read)))
    (call $write (i32.const 1) (i32.const 112) (i32.const 5))))
