;; wasmtime-stdio-shim.wat: the wasmtime engine's fd_read/fd_write. The binary is committed; after a change run
;;   wat2wasm src/main/wat/wasmtime-stdio-shim.wat -o src/main/resources/dev/wagiservlet/engine/wasmtime/stdio-shim.wasm
;; Descriptors 0-2 go to the host's one Java function (the run's streams; its first parameter says
;; 0 for fd_read, 1 for fd_write: each Java function costs wasmtime 7 a compiled trampoline per
;; run, about 0.25 ms), every other descriptor to wasmtime's own WASI function. WASI's functions
;; find the caller's memory through its "memory" export: called from this module, they find the
;; run's memory, which this module imports and re-exports (a Java host function cannot call them:
;; it has no calling instance).
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $wasi_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $wasi_write (param i32 i32 i32 i32) (result i32)))
  (import "wagi-servlet" "stdio" (func $host (param i32 i32 i32 i32 i32) (result i32)))
  (import "wagi-servlet" "memory" (memory 0))
  (export "memory" (memory 0))
  (func (export "fd_read") (param i32 i32 i32 i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 3))
      (then (call $host (i32.const 0) (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
      (else (call $wasi_read (local.get 0) (local.get 1) (local.get 2) (local.get 3)))))
  (func (export "fd_write") (param i32 i32 i32 i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 3))
      (then (call $host (i32.const 1) (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
      (else (call $wasi_write (local.get 0) (local.get 1) (local.get 2) (local.get 3))))))
