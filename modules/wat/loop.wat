;; loop.wat: never ends; writes nothing. Used for the execution timeout (504).
;; Built by ../build.sh with wat2wasm.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $forever (br $forever))))
