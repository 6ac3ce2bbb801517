;; long-content-length.wat: writes a longer body than it declares (3 bytes declared, 22 written).
;;   fd 1 (stdout), one fd_write, 66 bytes: Content-Type: text/plain\nContent-Length: 3\n\nlonger than declared!\n
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "Content-Type: text/plain\nContent-Length: 3\n\nlonger than declared!\n")  ;; 66 bytes

  ;; Memory layout: [0,8) iovec {buf, len}; [8,12) nwritten; data from 64.
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

  (func (export "_start")
    (call $write (i32.const 1) (i32.const 64) (i32.const 66))))
