package dev.wagiservlet.engine.chicory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.WasiInvocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiled code is written to the cache directory once and used by the next engine (a restart). */
class DirectoryCodeCacheTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));

    @Test
    void aRestartUsesTheCompiledCode(@TempDir Path cache) throws Exception {
        byte[] hello = Files.readAllBytes(MODULES.resolve("hello.wasm"));
        assertEquals("Content-Type: text/plain\n\nHello, world!\n", run(new ChicoryEngine(true, cache).compile("hello", hello)));
        List<Path> written = files(cache);
        assertEquals(1, written.size(), "one entry for the module: " + written);
        long modified = Files.getLastModifiedTime(written.get(0)).toMillis();

        CompiledModule again = new ChicoryEngine(true, cache).compile("hello", hello);
        assertEquals("Content-Type: text/plain\n\nHello, world!\n", run(again));
        assertEquals(written, files(cache), "nothing new written");
        assertEquals(modified, Files.getLastModifiedTime(written.get(0)).toMillis());
        assertTrue(Files.size(written.get(0)) > 0);
    }

    @Test
    void keysCannotLeaveTheDirectory(@TempDir Path cache) throws Exception {
        DirectoryCodeCache codeCache = new DirectoryCodeCache(cache.resolve("code"));
        codeCache.put("../../escape", new byte[] {1, 2, 3});
        assertEquals(1, files(cache.resolve("code")).size());
        assertTrue(Files.notExists(cache.resolve("escape.code.jar")));
        assertEquals(3, codeCache.get("../../escape").length);
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static String run(CompiledModule module) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        module.run(new WasiInvocation("_start", List.of("hello"), Map.of(), Map.of(), new ByteArrayInputStream(new byte[0]),
                stdout, new ByteArrayOutputStream()));
        return stdout.toString(StandardCharsets.UTF_8);
    }
}
