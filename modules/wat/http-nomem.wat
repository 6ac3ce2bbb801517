;; http-nomem.wat: imports all five wasi_experimental_http functions but exports its memory as
;; "mem", not "memory", so the host finds no memory: req, header_get, headers_get_all and
;; body_read return 2 (memory_not_found); close needs no memory and returns 0.
;;   stdout: Content-Type: text/plain\n\nreq=2\nclose=0\nheader_get=2\nheaders_get_all=2\nbody_read=2\n
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_experimental_http" "req"
    (func $req (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_experimental_http" "close" (func $close (param i32) (result i32)))
  (import "wasi_experimental_http" "header_get" (func $header_get (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_experimental_http" "headers_get_all" (func $headers_get_all (param i32 i32 i32 i32) (result i32)))
  (import "wasi_experimental_http" "body_read" (func $body_read (param i32 i32 i32 i32) (result i32)))
  (memory (export "mem") 1)
  ;; [0,8) iovec; [8,12) nwritten; [16,20) digits; strings from 64; buffers from 1024.
  (data (i32.const 64) "Content-Type: text/plain\n\n")     ;; 26 bytes
  (data (i32.const 96) "req=")                             ;; 4
  (data (i32.const 104) "close=")                          ;; 6
  (data (i32.const 112) "header_get=")                     ;; 11
  (data (i32.const 128) "headers_get_all=")                ;; 16
  (data (i32.const 144) "body_read=")                      ;; 10
  (data (i32.const 160) "http://127.0.0.1/")               ;; 17
  (data (i32.const 184) "GET")                             ;; 3
  (data (i32.const 192) "content-type")                    ;; 12

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; "label" then the code in decimal (0..99) and a newline
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
      (call $req (i32.const 160) (i32.const 17) (i32.const 184) (i32.const 3) (i32.const 0) (i32.const 0)
                 (i32.const 0) (i32.const 0) (i32.const 1024) (i32.const 1028)))
    (call $report (i32.const 104) (i32.const 6) (call $close (i32.const 0)))
    (call $report (i32.const 112) (i32.const 11)
      (call $header_get (i32.const 0) (i32.const 192) (i32.const 12) (i32.const 2048) (i32.const 256) (i32.const 1032)))
    (call $report (i32.const 128) (i32.const 16)
      (call $headers_get_all (i32.const 0) (i32.const 2048) (i32.const 256) (i32.const 1032)))
    (call $report (i32.const 144) (i32.const 10)
      (call $body_read (i32.const 0) (i32.const 2048) (i32.const 256) (i32.const 1032)))))
