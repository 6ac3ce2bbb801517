;; spin-config.wat: imports spin-config.get-config (a Spin host function) as well as WASI's fd_write;
;; wagi-servlet provides only WASI and wasi_experimental_http, so every run would fail to link: the
;; deployment must warn, naming the import.
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "spin-config" "get-config" (func $get_config (param i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "_start")))
