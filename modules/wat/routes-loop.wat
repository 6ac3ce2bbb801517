;; routes-loop.wat: a module whose _routes export never returns.
;;   _routes: nothing; loops forever
;;   _start : fd 1, one fd_write, 38 bytes: Content-Type: text/plain\n\nunreachable\n
;; Used to show that _routes is bounded by the route's timeout: the deployment (or reload) fails.
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "Content-Type: text/plain\n\nunreachable\n")  ;; 38 bytes

  (func (export "_routes")
    (loop $forever (br $forever)))

  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 38))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
