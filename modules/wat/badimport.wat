;; badimport.wat: imports a function no host provides (env.missing): it cannot be instantiated.
;; Built by ../build.sh with wat2wasm.
(module
  (import "env" "missing" (func $missing))
  (memory (export "memory") 1)
  (func (export "_start")
    (call $missing)))
