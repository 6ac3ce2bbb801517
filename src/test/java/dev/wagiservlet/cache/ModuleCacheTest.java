package dev.wagiservlet.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.ModuleLoadException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.WasmEngine;
import dev.wagiservlet.engine.chicory.ChicoryEngine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleCacheTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));

    /** (module (func (export "_start") (loop (br 0)))): 41 bytes. */
    private static final byte[] TINY = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x03, 0x02, 0x01, 0x00,
        0x07, 0x0a, 0x01, 0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x00,
        0x0a, 0x09, 0x01, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b,
    };

    /** Counts compilations and remembers the compiling threads. */
    static final class CountingEngine implements WasmEngine {
        final WasmEngine delegate = new ChicoryEngine(false);
        final AtomicInteger compiles = new AtomicInteger();
        final List<String> names = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());

        @Override
        public CompiledModule compile(String name, byte[] wasm) throws ModuleLoadException {
            compiles.incrementAndGet();
            names.add(name);
            threads.add(Thread.currentThread().getName());
            return delegate.compile(name, wasm);
        }
    }

    @TempDir
    Path dir;

    private CountingEngine engine;
    private ModuleCache cache;

    @BeforeEach
    void setUp() {
        engine = new CountingEngine();
        cache = new ModuleCache(engine, 100);
    }

    @AfterEach
    void tearDown() {
        cache.close();
    }

    private Path copy(String module, String as) throws IOException {
        Path file = dir.resolve(as);
        Files.copy(MODULES.resolve(module + ".wasm"), file);
        return file;
    }

    private static String stdout(CompiledModule module) throws ModuleExecutionException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        module.run(new WasiInvocation("_start", List.of("/"), Map.of(), Map.of(), new ByteArrayInputStream(new byte[0]), out,
                new ByteArrayOutputStream()));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sameFileIsCompiledOnce() throws Exception {
        Path file = copy("hello", "hello.wasm");
        CompiledModule first = cache.get(file);
        CompiledModule second = cache.get(file);
        assertSame(first, second);
        assertEquals(1, engine.compiles.get());
        assertEquals(List.of(file.toString()), engine.names);
        assertEquals(1, cache.size());
        assertEquals("Content-Type: text/plain\n\nHello, world!\n", stdout(first));
    }

    @Test
    void compilationRunsOnTheCachesThreads() throws Exception {
        cache.get(copy("hello", "hello.wasm"));
        assertEquals(1, engine.threads.size());
        assertTrue(engine.threads.get(0).startsWith("wagi-compiler-"), engine.threads.get(0));
    }

    @Test
    void differentFilesAreCompiledSeparately() throws Exception {
        Path a = copy("hello", "a.wasm");
        Path b = copy("hello", "b.wasm");
        CompiledModule ma = cache.get(a);
        CompiledModule mb = cache.get(b);
        assertNotSame(ma, mb);
        assertEquals(2, engine.compiles.get());
        assertEquals(2, cache.size());
        assertSame(ma, cache.get(a));
        assertEquals(2, engine.compiles.get());
    }

    @Test
    void changedFileIsRecompiledOnNextGet() throws Exception {
        Path file = copy("hello", "module.wasm");
        FileTime before = Files.getLastModifiedTime(file);
        CompiledModule first = cache.get(file);
        assertEquals("Content-Type: text/plain\n\nHello, world!\n", stdout(first));

        Files.write(file, Files.readAllBytes(MODULES.resolve("exit0.wasm")));
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 10_000));

        CompiledModule second = cache.get(file);
        assertNotSame(first, second);
        assertEquals(2, engine.compiles.get());
        assertEquals("Content-Type: text/plain\n\nexit zero\n", stdout(second));
        assertSame(second, cache.get(file));
        assertEquals(2, engine.compiles.get());
        assertEquals(1, cache.size(), "the old version should have been dropped");
    }

    @Test
    void newModificationTimeAloneCausesRecompilation() throws Exception {
        Path file = copy("hello", "hello.wasm");
        FileTime before = Files.getLastModifiedTime(file);
        cache.get(file);
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 5_000));
        cache.get(file);
        assertEquals(2, engine.compiles.get());
    }

    @Test
    void missingFileNamesThePath() {
        Path missing = dir.resolve("no-such-module.wasm");
        ModuleLoadException e = assertThrows(ModuleLoadException.class, () -> cache.get(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertEquals(0, engine.compiles.get());
    }

    @Test
    void directoryIsNotAModule() {
        ModuleLoadException e = assertThrows(ModuleLoadException.class, () -> cache.get(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertEquals(0, engine.compiles.get());
    }

    @Test
    void garbageFileIsAModuleLoadException() throws Exception {
        Path file = copy("garbage", "garbage.wasm");
        ModuleLoadException e = assertThrows(ModuleLoadException.class, () -> cache.get(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(1, engine.compiles.get());
    }

    @Test
    void aFailureIsRememberedUntilTheFileChanges() throws Exception {
        Path file = copy("garbage", "garbage.wasm");
        ModuleLoadException first = assertThrows(ModuleLoadException.class, () -> cache.get(file));
        ModuleLoadException second = assertThrows(ModuleLoadException.class, () -> cache.get(file));
        assertEquals(first.getMessage(), second.getMessage());
        assertEquals(1, engine.compiles.get(), "a broken module is not compiled again on every request");
    }

    @Test
    void fixingTheFileAfterAFailedCompileMakesGetSucceed() throws Exception {
        Path file = copy("garbage", "module.wasm");
        FileTime before = Files.getLastModifiedTime(file);
        assertThrows(ModuleLoadException.class, () -> cache.get(file));

        Files.copy(MODULES.resolve("hello.wasm"), file, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 10_000));
        CompiledModule module = cache.get(file);
        assertEquals("Content-Type: text/plain\n\nHello, world!\n", stdout(module));
        assertEquals(2, engine.compiles.get());
    }

    @Test
    void unexpectedEngineFailureIsAModuleLoadException() throws Exception {
        Path file = copy("hello", "hello.wasm");
        try (ModuleCache failing = new ModuleCache((name, wasm) -> {
            throw new IllegalStateException("engine exploded");
        }, 10)) {
            ModuleLoadException e = assertThrows(ModuleLoadException.class, () -> failing.get(file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("engine exploded"), e.getMessage());
        }
    }

    @Test
    void concurrentGetsOfOneFileCompileOnce() throws Exception {
        Path file = copy("env", "env.wasm");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<CompiledModule>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return cache.get(file);
                }));
            }
            start.countDown();
            CompiledModule first = results.get(0).get(1, TimeUnit.MINUTES);
            for (Future<CompiledModule> result : results) {
                assertSame(first, result.get(1, TimeUnit.MINUTES));
            }
            assertEquals(1, engine.compiles.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeDropsEverything() throws Exception {
        cache.get(copy("hello", "hello.wasm"));
        assertEquals(1, cache.size());
        cache.close();
        assertEquals(0, cache.size());
    }

    @Test
    void aCompileARequestWaitsForNeverQueuesBehindBackgroundCompiles() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WasmEngine slowForBig = new WasmEngine() {
            @Override
            public CompiledModule compile(String name, byte[] wasm) throws ModuleLoadException {
                if (name.contains("big")) {
                    try {
                        release.await(); // a big module compiling for a long time
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return engine.compile(name, wasm);
            }
        };
        try (ModuleCache slow = new ModuleCache(slowForBig, 100)) {
            slow.prefetch(copy("hello", "big-1.wasm"));
            slow.prefetch(copy("echo", "big-2.wasm"));
            slow.prefetch(copy("env", "big-3.wasm"));
            CompletableFuture<CompiledModule> small = CompletableFuture.supplyAsync(() -> {
                try {
                    return slow.get(copy("hello", "small.wasm"));
                } catch (IOException | ModuleLoadException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals("Content-Type: text/plain\n\nHello, world!\n", stdout(small.get(10, TimeUnit.SECONDS)),
                    "compiled while three background compiles are still under way");
            release.countDown();
            assertEquals("Content-Type: text/plain\n\nHello, world!\n", stdout(slow.get(dir.resolve("big-1.wasm"))));
        }
    }
}
