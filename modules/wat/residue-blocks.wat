;; residue-blocks.wat: tells whether any byte of its memory still holds what an earlier run wrote,
;; after writing with every kind of store there is.
;;   scans bytes 256 .. end of memory (2 pages): all zero -> "clean\n", else "dirty\n"
;;   (after Content-Type: text/plain\n\n); then dirties the memory with
;;   i64/f64/i32/i16/i8 stores (some across a 4 KiB boundary, one at the last byte),
;;   memory.fill, memory.copy, memory.init of a passive segment, and fd_read of stdin.
;; Used to prove that a reused memory is cleared wherever it was written (ResettableMemory).
;; Built by ../build.sh with wat2wasm.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 64) "Content-Type: text/plain\n\nclean\n")  ;; 32 bytes
  (data (i32.const 128) "Content-Type: text/plain\n\ndirty\n") ;; 32 bytes
  (data $passive "passive segment bytes")
  (func $clean (result i32)
    (local $addr i32) (local $seen i64)
    (local.set $addr (i32.const 256))
    (block $done
      (loop $scan
        (br_if $done (i32.ge_u (local.get $addr) (i32.const 131072)))
        (local.set $seen (i64.or (local.get $seen) (i64.load (local.get $addr))))
        (local.set $addr (i32.add (local.get $addr) (i32.const 8)))
        (br $scan)))
    (i64.eqz (local.get $seen)))
  (func (export "_start")
    (i32.store (i32.const 0) (select (i32.const 64) (i32.const 128) (call $clean)))
    (i32.store (i32.const 4) (i32.const 32))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i64.store (i32.const 4092) (i64.const -1))         ;; bytes 4092..4099: across a block boundary
    (f64.store (i32.const 12284) (f64.const -1.5))      ;; 12284..12291: across the next
    (i32.store (i32.const 16382) (i32.const -1))        ;; 16382..16385
    (i32.store16 (i32.const 20479) (i32.const 0xffff))  ;; 20479..20480
    (i32.store8 (i32.const 131071) (i32.const 7))       ;; the last byte of the memory
    (memory.fill (i32.const 30000) (i32.const 9) (i32.const 9000)) ;; 30000..38999, three blocks
    (memory.copy (i32.const 70000) (i32.const 30000) (i32.const 100))
    (memory.init $passive (i32.const 90000) (i32.const 0) (i32.const 21))
    (i32.store (i32.const 8) (i32.const 100000))        ;; iovec: 64 bytes of stdin at 100000
    (i32.store (i32.const 12) (i32.const 64))
    (drop (call $fd_read (i32.const 0) (i32.const 8) (i32.const 1) (i32.const 16)))
    (i32.store (i32.const 16) (i32.const 0))))
