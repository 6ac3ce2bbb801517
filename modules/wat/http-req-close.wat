;; http-req-close.wat: imports only req and close from wasi_experimental_http (as a module built
;; against an older guest that never reads headers or bodies), requests GET http://127.0.0.1:1/
;; and closes handle 0. With a policy that denies 127.0.0.1: req=7 (destination_not_allowed);
;; with one that allows it: req=11 (request_error: nothing listens on port 1).
;;   stdout: Content-Type: text/plain\n\nreq=N\nclose=0\n
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_experimental_http" "req"
    (func $req (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_experimental_http" "close" (func $close (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "Content-Type: text/plain\n\n")     ;; 26 bytes
  (data (i32.const 96) "req=")                             ;; 4
  (data (i32.const 104) "close=")                          ;; 6
  (data (i32.const 160) "http://127.0.0.1:1/")             ;; 19
  (data (i32.const 184) "GET")                             ;; 3

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $report (param $label i32) (param $len i32) (param $code i32)
    (call $write (local.get $label) (local.get $len))
    (if (i32.ge_u (local.get $code) (i32.const 10))
      (then
        (i32.store8 (i32.const 16) (i32.add (i32.const 48) (i32.div_u (local.get $code) (i32.const 10))))
        (i32.store8 (i32.const 17) (i32.add (i32.const 48) (i32.rem_u (local.get $code) (i32.const 10))))
        (i32.store8 (i32.const 18) (i32.const 10))
        (call $write (i32.const 16) (i32.const 3)))
      (else
        (i32.store8 (i32.const 16) (i32.add (i32.const 48) (local.get $code)))
        (i32.store8 (i32.const 17) (i32.const 10))
        (call $write (i32.const 16) (i32.const 2)))))

  (func (export "_start")
    (call $write (i32.const 64) (i32.const 26))
    (call $report (i32.const 96) (i32.const 4)
      (call $req (i32.const 160) (i32.const 19) (i32.const 184) (i32.const 3) (i32.const 0) (i32.const 0)
                 (i32.const 0) (i32.const 0) (i32.const 1024) (i32.const 1028)))
    (call $report (i32.const 104) (i32.const 6) (call $close (i32.const 0)))))
