;; split-headers.wat: writes the 40 bytes
;;   Content-Type: text/plain\r\nX-A: 1\r\n\r\nbody
;; to fd 1 ONE BYTE PER fd_write CALL (40 calls), to test header parsing across write boundaries.
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "Content-Type: text/plain\r\nX-A: 1\r\n\r\nbody")  ;; 40 bytes

  ;; Memory layout: [0,8) iovec {buf, len}; [8,12) nwritten; data from 64.
  (func (export "_start") (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.const 40)))
        (i32.store (i32.const 0) (i32.add (i32.const 64) (local.get $i)))
        (i32.store (i32.const 4) (i32.const 1))
        (br_if $done (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        ;; advance only if the byte was written (a host may report 0 bytes; then give up)
        (br_if $done (i32.eqz (i32.load (i32.const 8))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))))
