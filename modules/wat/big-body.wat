;; big-body.wat: writes to fd 1
;;   Content-Type: application/octet-stream\n\n        (one fd_write, 40 bytes)
;; then a 1 MiB body (1048576 bytes) where body byte i = i mod 251, as 16 fd_write calls of
;; 64 KiB each. Before each call the 64 KiB buffer is refilled with the values for that chunk.
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 64) "Content-Type: application/octet-stream\n\n")  ;; 40 bytes

  ;; Memory layout: [0,8) iovec {buf, len}; [8,12) nwritten; data from 64;
  ;; chunk buffer [65536, 131072) (the second page).
  ;; $write: one fd_write call for the whole buffer. It only calls again if the host reports a
  ;; short write, and gives up on an error or on 0 bytes written (returns 1 then, else 0).
  (func $write (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $len)))
        (i32.store (i32.const 0) (local.get $ptr))
        (i32.store (i32.const 4) (local.get $len))
        (if (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))
          (then (return (i32.const 1))))
        (if (i32.eqz (i32.load (i32.const 8)))
          (then (return (i32.const 1))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.load (i32.const 8))))
        (local.set $len (i32.sub (local.get $len) (i32.load (i32.const 8))))
        (br $again)))
    (i32.const 0))

  (func (export "_start") (local $chunk i32) (local $j i32) (local $v i32)
    (if (call $write (i32.const 1) (i32.const 64) (i32.const 40))
      (then (return)))
    (block $all_done
      (loop $next_chunk
        (br_if $all_done (i32.ge_u (local.get $chunk) (i32.const 16)))
        ;; first value of this chunk: (chunk * 65536) mod 251
        (local.set $v (i32.rem_u (i32.mul (local.get $chunk) (i32.const 65536)) (i32.const 251)))
        (local.set $j (i32.const 0))
        (block $filled
          (loop $fill
            (br_if $filled (i32.ge_u (local.get $j) (i32.const 65536)))
            (i32.store8 (i32.add (i32.const 65536) (local.get $j)) (local.get $v))
            (local.set $v (i32.add (local.get $v) (i32.const 1)))
            (if (i32.eq (local.get $v) (i32.const 251))
              (then (local.set $v (i32.const 0))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $fill)))
        (br_if $all_done (call $write (i32.const 1) (i32.const 65536) (i32.const 65536)))
        (local.set $chunk (i32.add (local.get $chunk) (i32.const 1)))
        (br $next_chunk)))))
