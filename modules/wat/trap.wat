;; trap.wat: traps with `unreachable` as its first instruction and writes nothing.
;; Built by ../build.sh with wat2wasm.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (unreachable)))
