;; bigtable.wat: declares a table of ten million function references (about 80 MB of heap per
;; instance in Chicory), then answers.
;;   fd 1, one fd_write: Content-Type: text/plain\n\nbig table\n
;; Used for the memory budget: tables are booked like linear memory.
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (table 10000000 funcref)
  (data (i32.const 64) "Content-Type: text/plain\n\nbig table\n")  ;; 36 bytes
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 36))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
