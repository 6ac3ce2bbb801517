;; div0.wat: divides an integer by zero: a trap.
;; Built by ../build.sh with wat2wasm.
(module
  (memory (export "memory") 1)
  (func $zero (result i32) (i32.const 0))
  (func (export "_start")
    (drop (i32.div_u (i32.const 7) (call $zero)))))
