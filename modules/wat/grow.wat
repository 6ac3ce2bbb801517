;; grow.wat: grows its linear memory 16 pages (1 MiB) at a time to 100 MiB, writing a byte into
;; every new page (so the memory is really used), then answers; if memory.grow fails first, it
;; traps with unreachable (as real modules do when an allocation fails).
;;   success: fd 1, one fd_write: Content-Type: text/plain\n\ngrew to 100 MiB\n
;; Used for the memory budget: many runs at once must not exhaust the server's heap.
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "Content-Type: text/plain\n\ngrew to 100 MiB\n")  ;; 42 bytes
  (func (export "_start")
    (local $page i32)
    (block $done
      (loop $grow
        (br_if $done (i32.ge_u (memory.size) (i32.const 1600)))
        (local.set $page (memory.grow (i32.const 16)))
        (if (i32.eq (local.get $page) (i32.const -1)) (then unreachable))
        (i32.store8 (i32.mul (local.get $page) (i32.const 65536)) (i32.const 1))
        (br $grow)))
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 42))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
