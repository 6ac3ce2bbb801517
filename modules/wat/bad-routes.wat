;; bad-routes.wat: a module whose _routes export prints a malformed line (one token, no entrypoint).
;;   _routes: fd 1, one fd_write, 15 bytes: /only-a-route\n\n
;;   _start : fd 1, one fd_write: Content-Type: text/plain\n\nunreachable if _routes is checked\n
;; Used to show that broken _routes output fails the deployment, naming the module and the line.
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "/only-a-route\n\n")  ;; 15 bytes
  (data (i32.const 128) "Content-Type: text/plain\n\nunreachable if _routes is checked\n")  ;; 60 bytes

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func (export "_routes")
    (call $write (i32.const 64) (i32.const 15)))

  (func (export "_start")
    (call $write (i32.const 128) (i32.const 60))))
