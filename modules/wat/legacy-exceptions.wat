;; legacy-exceptions.wat: uses the legacy exception-handling proposal (try/catch, opcodes 0x06 and
;; 0x07), which Chicory 1.7.5 cannot parse: the deployment must name it as such.
;; Built by ../build.sh with wat2wasm.
;; wat2wasm flags: --enable-exceptions
(module
  (tag $oops)
  (memory (export "memory") 1)
  (func (export "_start")
    (try
      (do (throw $oops))
      (catch $oops))))
