;; stderr-flood.wat: floods stderr, then answers normally.
;;   fd 2 (stderr), 1000 fd_write calls of 65536 bytes each (64,000 KiB in all): 1023 bytes 'e' then '\n',
;;   64 times over (64 lines of 1024 bytes per call)
;;   fd 1 (stdout), one fd_write, 35 bytes: Content-Type: text/plain\n\nsurvived\n
;; Used to show that a run's stderr is capped (max_stderr_size, max_stderr_lines) and logged once.
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 64) "Content-Type: text/plain\n\nsurvived\n")  ;; 35 bytes

  ;; Memory layout: [0,8) iovec {buf, len}; [8,12) nwritten; data from 64;
  ;; the stderr buffer [65536, 131072) (the second page).
  ;; $write: one fd_write call for the whole buffer. It only calls again if the host reports a
  ;; short write, and gives up on an error or on 0 bytes written.
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $len)))
        (i32.store (i32.const 0) (local.get $ptr))
        (i32.store (i32.const 4) (local.get $len))
        (br_if $done (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
        (br_if $done (i32.eqz (i32.load (i32.const 8))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.load (i32.const 8))))
        (local.set $len (i32.sub (local.get $len) (i32.load (i32.const 8))))
        (br $again))))

  (func (export "_start") (local $i i32)
    ;; the buffer: 'e' everywhere, a '\n' at the end of every 1024 bytes
    (memory.fill (i32.const 65536) (i32.const 101) (i32.const 65536))
    (local.set $i (i32.const 1023))
    (block $filled
      (loop $newline
        (br_if $filled (i32.ge_u (local.get $i) (i32.const 65536)))
        (i32.store8 (i32.add (i32.const 65536) (local.get $i)) (i32.const 10))
        (local.set $i (i32.add (local.get $i) (i32.const 1024)))
        (br $newline)))
    (local.set $i (i32.const 0))
    (block $flooded
      (loop $flood
        (br_if $flooded (i32.ge_u (local.get $i) (i32.const 1000)))
        (call $write (i32.const 2) (i32.const 65536) (i32.const 65536))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $flood)))
    (call $write (i32.const 1) (i32.const 64) (i32.const 35))))
