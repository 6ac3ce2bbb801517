;; residue.wat: tells whether its memory still holds what an earlier run wrote.
;;   reads the i32 at address 1024: 0 -> writes "clean\n", anything else -> "dirty\n"
;;   (after Content-Type: text/plain\n\n), then stores 0xDEADBEEF there and returns.
;; Used to prove that reused linear memories are zeroed between runs.
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "Content-Type: text/plain\n\nclean\n")  ;; 32 bytes
  (data (i32.const 128) "Content-Type: text/plain\n\ndirty\n") ;; 32 bytes
  (func (export "_start")
    (i32.store (i32.const 0)
      (select (i32.const 64) (i32.const 128) (i32.eqz (i32.load (i32.const 1024)))))
    (i32.store (i32.const 4) (i32.const 32))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 1024) (i32.const 0xDEADBEEF))))
