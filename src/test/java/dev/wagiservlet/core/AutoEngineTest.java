package dev.wagiservlet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoEngineTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));

    @Test
    void smallModulesStayOnChicory() throws IOException {
        assertEquals(EngineSet.CHICORY, AutoEngine.choose(MODULES.resolve("hello.wasm"), true).engine());
        assertEquals(EngineSet.CHICORY, AutoEngine.choose(MODULES.resolve("rust-env.wasm"), true).engine());
    }

    @Test
    void withoutWasmtimeEverythingStaysOnChicory(@TempDir Path temp) throws IOException {
        Path big = bigFunction(temp);
        assertEquals(EngineSet.WASMTIME, AutoEngine.choose(big, true).engine());
        AutoEngine.Choice choice = AutoEngine.choose(big, false);
        assertEquals(EngineSet.CHICORY, choice.engine());
        assertTrue(choice.reason().contains("cannot run here"), choice.reason());
    }

    @Test
    void outboundHttpFollowsTheSameRule(@TempDir Path temp) throws IOException {
        AutoEngine.Choice small = AutoEngine.choose(MODULES.resolve("http-client.wasm"), true);
        assertEquals(EngineSet.CHICORY, small.engine());
        assertTrue(small.reason().startsWith("small: "), "kept on Chicory for its size only: " + small.reason());
        AutoEngine.Choice large = AutoEngine.choose(padded(MODULES.resolve("http-client.wasm"), temp), true);
        assertEquals(EngineSet.WASMTIME, large.engine(), "wasmtime provides wasi_experimental_http too: " + large.reason());
    }

    /** The module with a custom section of 1 MiB appended: as large as a module auto sends to wasmtime. */
    private static Path padded(Path module, Path dir) throws IOException {
        byte[] wasm = Files.readAllBytes(module);
        int payload = 2 + (int) AutoEngine.LARGE_MODULE; // name length, name "x", the padding
        byte[] size = leb(payload);
        byte[] out = new byte[wasm.length + 1 + size.length + payload];
        System.arraycopy(wasm, 0, out, 0, wasm.length);
        int p = wasm.length;
        out[p++] = 0; // custom section
        System.arraycopy(size, 0, out, p, size.length);
        p += size.length;
        out[p++] = 1;
        out[p] = 'x';
        return Files.write(dir.resolve("padded.wasm"), out);
    }

    @Test
    void aFunctionTooLargeForAJvmMethodGoesNative(@TempDir Path temp) throws IOException {
        AutoEngine.Choice choice = AutoEngine.choose(bigFunction(temp), true);
        assertEquals(EngineSet.WASMTIME, choice.engine());
        assertTrue(choice.reason().contains("a function of"), choice.reason());
    }

    /** (module (func (export "_start") nop nop ... )) with a body of 20000 bytes. */
    private static Path bigFunction(Path dir) throws IOException {
        int body = 20_000;
        byte[] code = new byte[body];
        code[0] = 0; // no locals
        for (int i = 1; i < body - 1; i++) {
            code[i] = 0x01; // nop
        }
        code[body - 1] = 0x0b; // end
        byte[] head = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
            0x03, 0x02, 0x01, 0x00,
            0x07, 0x0a, 0x01, 0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x00};
        byte[] bodySize = leb(body);
        byte[] sectionSize = leb(1 + bodySize.length + body);
        byte[] wasm = new byte[head.length + 1 + sectionSize.length + 1 + bodySize.length + body];
        int p = 0;
        System.arraycopy(head, 0, wasm, p, head.length);
        p += head.length;
        wasm[p++] = 0x0a;
        System.arraycopy(sectionSize, 0, wasm, p, sectionSize.length);
        p += sectionSize.length;
        wasm[p++] = 1;
        System.arraycopy(bodySize, 0, wasm, p, bodySize.length);
        p += bodySize.length;
        System.arraycopy(code, 0, wasm, p, body);
        return Files.write(dir.resolve("big.wasm"), wasm);
    }

    private static byte[] leb(int value) {
        byte[] out = new byte[5];
        int n = 0;
        do {
            int b = value & 0x7f;
            value >>>= 7;
            out[n++] = (byte) (value == 0 ? b : b | 0x80);
        } while (value != 0);
        byte[] exact = new byte[n];
        System.arraycopy(out, 0, exact, 0, n);
        return exact;
    }
}
