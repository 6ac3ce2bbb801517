;; stream-loop.wat: writes a response head and a first chunk, then never ends.
;;   fd 1, one fd_write: Content-Type: text/plain\n\nstarted\n   (then loops forever)
;; Used for a timeout after the response is committed (the connection must be aborted).
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "Content-Type: text/plain\n\nstarted\n")  ;; 34 bytes
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 34))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (loop $forever (br $forever))))
