package dev.wagiservlet.engine.chicory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CallDepthTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));

    private static WasmModule module(String name) throws Exception {
        return Parser.parse(Files.readAllBytes(MODULES.resolve(name + ".wasm")));
    }

    @Test
    void aModuleThatCannotRecurseHasABound() throws Exception {
        OptionalLong hello = CallDepth.of(module("hello")).bound("_start");
        assertTrue(hello.isPresent(), "hello.wasm (C, wasi-libc) cannot recurse");
        assertTrue(hello.getAsLong() >= 3 * CallDepth.FRAME && hello.getAsLong() <= 64 << 10, "a few frames: " + hello);
        // trap.wasm: _start alone, no locals
        assertEquals(OptionalLong.of(CallDepth.FRAME), CallDepth.of(module("trap")).bound("_start"));
    }

    @Test
    void aModuleThatMayRecurseHasNone() throws Exception {
        assertEquals(OptionalLong.empty(), CallDepth.of(module("recurse")).bound("_start"), "direct recursion");
        assertEquals(OptionalLong.empty(), CallDepth.of(module("deep")).bound("_start"), "recursion to a depth the request chooses");
        assertEquals(OptionalLong.empty(), CallDepth.of(module("rust-env")).bound("_start"), "Rust's std: indirect calls that may come back");
    }

    @Test
    void anIndirectCallBackIntoItselfIsACycle() throws Exception {
        // (table 1 funcref) (elem (i32.const 0) $f) (type $t (func)) (func $f (type $t) i32.const 0 call_indirect (type $t))
        byte[] wasm = {
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00,                                  // type 0: () -> ()
            0x03, 0x02, 0x01, 0x00,                                              // func 0: type 0
            0x04, 0x04, 0x01, 0x70, 0x00, 0x01,                                  // table: funcref, min 1
            0x07, 0x0a, 0x01, 0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x00,    // export "_start" = func 0
            0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,                // elem: table 0 at 0: func 0
            0x0a, 0x09, 0x01, 0x07, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0b,    // code: i32.const 0; call_indirect type 0
        };
        assertEquals(OptionalLong.empty(), CallDepth.of(Parser.parse(wasm)).bound("_start"));
    }

    @Test
    void noSuchExportHasNoBound() throws Exception {
        assertEquals(OptionalLong.empty(), CallDepth.of(module("hello")).bound("nothere"));
    }
}
