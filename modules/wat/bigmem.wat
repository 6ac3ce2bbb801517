;; bigmem.wat: grows its linear memory 16 pages (1 MiB) at a time up to 1 GiB, then answers how
;; many pages it got; if memory.grow fails first, it traps with unreachable (as real modules do
;; when an allocation fails).
;;   success: fd 1, one fd_write: Content-Type: text/plain\n\ngrew to 1 GiB\n
;; Used for the linear memory cap (500 when a module grows past it).
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "Content-Type: text/plain\n\ngrew to 1 GiB\n")  ;; 40 bytes
  (func (export "_start")
    (block $done
      (loop $grow
        (br_if $done (i32.ge_u (memory.size) (i32.const 16384)))
        (if (i32.eq (memory.grow (i32.const 16)) (i32.const -1)) (then unreachable))
        (br $grow)))
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 40))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
