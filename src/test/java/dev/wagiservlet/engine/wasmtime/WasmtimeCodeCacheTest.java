package dev.wagiservlet.engine.wasmtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.engine.WasmEngine;
import dev.wagiservlet.engine.WasmEngineProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WasmtimeCodeCacheTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));

    @Test
    void compiledModulesAreKeptInTheCodeCacheDirectory(@TempDir Path cache) throws Exception {
        try (WasmEngine engine = new WasmtimeEngineProvider().create(new WasmEngineProvider.Options(false, Optional.of(cache)))) {
            engine.compile("env.wasm", Files.readAllBytes(MODULES.resolve("env.wasm")));
        }
        assertTrue(Files.isRegularFile(cache.resolve("wasmtime/wasmtime-cache.toml")));
        long files;
        try (Stream<Path> all = Files.walk(cache.resolve("wasmtime"))) {
            files = all.filter(Files::isRegularFile).count();
        }
        assertTrue(files >= 2, "the configuration and at least one compiled module: " + files);
    }
}
