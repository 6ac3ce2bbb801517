;; bigstart.wat: starts with 48 MiB of linear memory (768 pages) and a data segment at its end,
;; so every instance takes 48 MiB of heap before it runs; then answers.
;;   fd 1, one fd_write: Content-Type: text/plain\n\nstarted with 48 MiB\n
;; Used for the memory budget: a module's initial memory is booked before it is allocated.
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 768)
  (data (i32.const 64) "Content-Type: text/plain\n\nstarted with 48 MiB\n")  ;; 46 bytes
  (data (i32.const 50331600) "the end of 48 MiB")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 46))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
