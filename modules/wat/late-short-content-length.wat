;; late-short-content-length.wat: declares a Content-Length of 1000, writes 13 bytes of body, keeps
;; running for 300 ms (polling clock_time_get), then returns normally, 987 bytes short. The output is
;; sent before the run ends (a host that holds a run's first output sends it once the run has gone
;; on for a while), so the shortfall is found after the response was committed: the connection
;; must be aborted, else the client reads its next response as the rest of this body.
;;   fd 1, one fd_write: Content-Type: text/plain\nContent-Length: 1000\n\npartial body\n   (60 bytes)
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "Content-Type: text/plain\nContent-Length: 1000\n\npartial body\n")  ;; 60 bytes
  (func $now (result i64)
    (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 16))) ;; monotonic, into [16]
    (i64.load (i32.const 16)))
  (func (export "_start")
    (local $until i64)
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 60))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (local.set $until (i64.add (call $now) (i64.const 300000000)))
    (block $done
      (loop $wait
        (br_if $done (i64.ge_u (call $now) (local.get $until)))
        (br $wait)))))
