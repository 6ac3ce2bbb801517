;; routes-flood.wat: a module whose _routes export writes to stdout without end.
;;   _routes: fd 1, fd_write calls of 65536 bytes each ('/a a\n' 13107 times, then a NUL byte), forever,
;;            whatever each call returns
;;   _start : fd 1, one fd_write, 38 bytes: Content-Type: text/plain\n\nunreachable\n
;; Used to show that _routes output is capped (1 MiB): the deployment (or reload) fails.
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 64) "Content-Type: text/plain\n\nunreachable\n")  ;; 38 bytes
  (data (i32.const 128) "/a a\n")  ;; 5 bytes

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; Memory layout: [0,8) iovec {buf, len}; [8,12) nwritten; data from 64;
  ;; the buffer [65536, 131072) (the second page), filled with '/a a\n'.
  (func (export "_routes") (local $i i32)
    (block $filled
      (loop $fill
        (br_if $filled (i32.gt_u (local.get $i) (i32.const 65531)))
        (memory.copy (i32.add (i32.const 65536) (local.get $i)) (i32.const 128) (i32.const 5))
        (local.set $i (i32.add (local.get $i) (i32.const 5)))
        (br $fill)))
    (loop $forever
      (call $write (i32.const 65536) (i32.const 65536))
      (br $forever)))

  (func (export "_start")
    (call $write (i32.const 64) (i32.const 38))))
