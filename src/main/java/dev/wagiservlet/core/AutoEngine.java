package dev.wagiservlet.core;

import dev.wagiservlet.engine.WasmBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rule of {@code engine = "auto"}: a module goes to wasmtime, where wasmtime runs here, when
 * Chicory would be slow with it (it is large, or has a function too large for Chicory to compile
 * to one JVM method, which Chicory then interprets). Both engines provide the same imports (WASI
 * and outbound HTTP), so only speed decides: everything else stays on Chicory, which starts a run
 * of a small module about ten times faster than wasmtime-java's host calls allow. The numbers behind the thresholds are in
 * docs/engines.md.
 */
final class AutoEngine {

    /** Modules at least this large go native: Chicory's compile time and the interpreted share grow with size. */
    static final long LARGE_MODULE = 1L << 20;
    /**
     * A function body at least this large (in WebAssembly bytes) may compile to more than a JVM
     * method's 64 KiB of bytecode, so Chicory would interpret it.
     */
    static final int LARGE_FUNCTION = 12 * 1024;

    private AutoEngine() {}

    /** What auto chose, and why, for the log. */
    record Choice(String engine, String reason) {}

    static Choice choose(Path module, boolean wasmtimeAvailable) throws IOException {
        if (!wasmtimeAvailable) {
            return new Choice(EngineSet.CHICORY, "wasmtime cannot run here");
        }
        byte[] bytes = Files.readAllBytes(module);
        WasmBinary binary;
        try {
            binary = WasmBinary.read(bytes);
        } catch (IllegalArgumentException e) {
            return new Choice(EngineSet.CHICORY, "not a module wasmtime would take: " + e.getMessage());
        }
        if (bytes.length >= LARGE_MODULE) {
            return new Choice(EngineSet.WASMTIME, "it is " + bytes.length + " bytes, at least " + LARGE_MODULE);
        }
        int largest = binary.bodySizes().stream().mapToInt(Integer::intValue).max().orElse(0);
        if (largest >= LARGE_FUNCTION) {
            return new Choice(EngineSet.WASMTIME, "a function of " + largest + " bytes, at least " + LARGE_FUNCTION);
        }
        return new Choice(EngineSet.CHICORY, "small: " + bytes.length + " bytes, its largest function " + largest);
    }
}
