;; close-stdout.wat: writes "Content-Type: text/plain\n\nbefore\n", then closes its stdout (fd_close(1))
;; and returns. Used to prove that a WASI context whose descriptor table a run changed is not
;; lent to the next run (ReusableWasi): the next run must still have a stdout.
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "Content-Type: text/plain\n\nbefore\n") ;; 33 bytes
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 33))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $fd_close (i32.const 1)))))
