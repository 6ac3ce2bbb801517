;; http-badtype.wat: imports wasi_experimental_http::close with the wrong type (an i64 handle);
;; instantiating it must fail with a link error naming wasi_experimental_http::close.
;; _start writes nothing. Built by ../build.sh with wat2wasm.
(module
  (import "wasi_experimental_http" "close" (func $close (param i64) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")))
