;; oob.wat: loads from far past the end of its one page of memory: an out-of-bounds trap.
;; Built by ../build.sh with wat2wasm.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (i32.load (i32.const 1000000)))))
