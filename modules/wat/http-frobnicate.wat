;; http-frobnicate.wat: imports wasi_experimental_http::req and ::frobnicate, a function no host
;; provides; instantiating it must fail with a link error naming wasi_experimental_http::frobnicate.
;; _start writes nothing. Built by ../build.sh with wat2wasm.
(module
  (import "wasi_experimental_http" "req"
    (func $req (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_experimental_http" "frobnicate" (func $frobnicate (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")))
