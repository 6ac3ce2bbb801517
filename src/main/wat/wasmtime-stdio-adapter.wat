;; wasmtime-stdio-adapter.wat: fd_read/fd_write for a run without volumes on a module that keeps its own
;; memory (see WasmtimeModule). The binary is committed; after a change run
;;   wat2wasm src/main/wat/wasmtime-stdio-adapter.wat -o src/main/resources/dev/wagiservlet/engine/wasmtime/stdio-adapter.wasm
;; Every descriptor goes to the host's one Java function (its first parameter: 0 fd_read, 1 fd_write),
;; which answers 0-2 and says EBADF for the rest: without volumes no other descriptor exists. This
;; module needs no memory, so it can be instantiated before the module whose memory the host reads.
(module
  (import "wagi-servlet" "stdio" (func $host (param i32 i32 i32 i32 i32) (result i32)))
  (func (export "fd_read") (param i32 i32 i32 i32) (result i32)
    (call $host (i32.const 0) (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "fd_write") (param i32 i32 i32 i32) (result i32)
    (call $host (i32.const 1) (local.get 0) (local.get 1) (local.get 2) (local.get 3))))
