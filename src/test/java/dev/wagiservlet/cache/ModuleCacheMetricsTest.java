package dev.wagiservlet.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.engine.ModuleLoadException;
import dev.wagiservlet.engine.chicory.ChicoryEngine;
import dev.wagiservlet.metrics.ModuleMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module cache records hits, misses, and each compile with its time and outcome. */
class ModuleCacheMetricsTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));

    @Test
    void hitsMissesAndCompiles(@TempDir Path dir) throws Exception {
        ModuleMetrics metrics = new ModuleMetrics();
        Path hello = Files.copy(MODULES.resolve("hello.wasm"), dir.resolve("hello.wasm"));
        Path broken = Files.writeString(dir.resolve("broken.wasm"), "not wasm");
        try (ModuleCache cache = new ModuleCache(new ChicoryEngine(false), 10, metrics)) {
            cache.get(hello);
            cache.get(hello);
            cache.get(hello);
            assertEquals(1, metrics.misses());
            assertEquals(2, metrics.hits());
            ModuleMetrics.ModuleState state = metrics.state(hello).orElseThrow();
            assertTrue(state.compiled());
            assertEquals(Files.size(hello), state.size());
            assertTrue(state.compileNanos() > 0);

            assertThrows(ModuleLoadException.class, () -> cache.get(broken));
            ModuleMetrics.ModuleState failed = metrics.state(broken).orElseThrow();
            assertEquals("failed", failed.state());
            assertTrue(failed.failure().contains("not a valid WebAssembly module"), failed.failure());

            Files.setLastModifiedTime(hello, FileTime.fromMillis(Files.getLastModifiedTime(hello).toMillis() + 5_000));
            cache.get(hello);
            assertEquals(2, metrics.state(hello).orElseThrow().compilations(), "a changed file is compiled again");
            assertEquals(3, metrics.compilations());
            assertEquals(1, metrics.compileFailures());
            assertEquals(3, metrics.misses());
            assertEquals(0, metrics.state(hello).orElseThrow().interpretedFunctions());
        }
    }

    @Test
    void aCompileRecordsHowManyFunctionsAreInterpreted(@TempDir Path dir) throws Exception {
        ModuleMetrics metrics = new ModuleMetrics();
        Path module = Files.copy(MODULES.resolve("interpreted.wasm"), dir.resolve("interpreted.wasm"));
        try (ModuleCache cache = new ModuleCache(new ChicoryEngine(true), 10, metrics)) {
            assertEquals(1, cache.get(module).interpretedFunctions().size());
            assertEquals(1, metrics.state(module).orElseThrow().interpretedFunctions());
        }
    }
}
