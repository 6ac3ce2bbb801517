package dev.wagiservlet.engine.wasmtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.MemoryAccount;
import dev.wagiservlet.engine.ModuleExecutionException.Kind;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.WasmEngineProvider;
import dev.wagiservlet.engine.fs.SandboxedDirectory;
import dev.wagiservlet.engine.http.OutboundHttpPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs on a module compiled with its own memory ({@link OwnMemoryModules}) against runs on the
 * host-made memory: the same output, failures, memory cap, booking and timeout. The engine under
 * test compiles on the calling thread, so a module's first run already has its own memory; the
 * other engine never compiles one.
 */
class WasmtimeOwnMemoryTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));
    private static final Map<String, String> ENV = Map.of("QUERY_STRING", "a=1", "REQUEST_METHOD", "POST", "PATH_INFO", "/x");

    private final AtomicInteger compiles = new AtomicInteger();
    private final WasmtimeEngine own = new WasmtimeEngine(null, WasmEngineProvider.Options.DEFAULT_THREAD_STACK_SIZE, task -> {
        compiles.incrementAndGet();
        task.run();
    });
    private final WasmtimeEngine hostMemory = new WasmtimeEngine(null, WasmEngineProvider.Options.DEFAULT_THREAD_STACK_SIZE, task -> { });

    @BeforeAll
    static void load() {
        NativeLibrary.load();
    }

    @AfterEach
    void close() {
        own.close();
        hostMemory.close();
    }

    record Result(String out, String err, Kind failure) {}

    private static Result run(CompiledModule module, Map<String, Path> volumes, byte[] stdin, long maxMemory, MemoryAccount account,
            Duration timeout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Kind failure = null;
        try {
            module.run(new WasiInvocation("_start", List.of(module.name(), "arg"), ENV, volumes, new ByteArrayInputStream(stdin), out, err,
                    OutboundHttpPolicy.DENY_ALL, maxMemory, account, timeout));
        } catch (ModuleExecutionException e) {
            failure = e.kind();
        }
        return new Result(out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.ISO_8859_1), failure);
    }

    private static Result run(CompiledModule module, long maxMemory) {
        return run(module, Map.of(), "the body".getBytes(StandardCharsets.US_ASCII), maxMemory, MemoryAccount.UNLIMITED, Duration.ZERO);
    }

    private static CompiledModule compile(WasmtimeEngine engine, String name) throws Exception {
        return engine.compile(name, Files.readAllBytes(MODULES.resolve(name + ".wasm")));
    }

    @Test
    void sameResultsAsOnTheHostMadeMemory() throws Exception {
        for (String name : List.of("hello", "echo", "env", "rust-env", "stderr", "midfail", "trap", "exit1", "big-body", "grow", "oob")) {
            int before = compiles.get();
            Result expected = run(compile(hostMemory, name), 0);
            Result actual = run(compile(own, name), 0);
            assertEquals(before + 1, compiles.get(), name + " was not compiled with its own memory");
            assertEquals(expected, actual, name);
        }
    }

    @Test
    void oneCompilePerCapNoneForRunsWithVolumes(@TempDir Path dir) throws Exception {
        CompiledModule hello = compile(own, "hello");
        Result first = run(hello, 0);
        assertNull(first.failure());
        assertEquals(1, compiles.get());
        assertEquals(first, run(hello, 0));
        assertEquals(1, compiles.get());
        assertEquals(first, run(hello, 64L << 20));
        assertEquals(2, compiles.get());
        Result withVolume = run(hello, Map.of("/data", SandboxedDirectory.of(dir, false)), new byte[0], 0, MemoryAccount.UNLIMITED,
                Duration.ZERO);
        assertEquals(first, withVolume);
        assertEquals(2, compiles.get());
    }

    @Test
    void theCapStopsGrowthAsTheModulesOwnMaximum() throws Exception {
        CompiledModule grow = compile(own, "grow");
        assertEquals(Kind.TRAP, run(grow, 50L << 20).failure(), "memory.grow past the cap fails, and grow.wasm traps");
        assertEquals(Kind.LINK, run(compile(own, "bigstart"), 64L << 10).failure(), "an initial memory over the cap");
        assertEquals(1, compiles.get(), "grow's for its cap; none for bigstart, which cannot start under its cap");
    }

    @Test
    void initialMemoryAndGrowthAreBooked() throws Exception {
        CompiledModule grow = compile(own, "grow");
        long[] booked = new long[1];
        MemoryAccount roomy = bytes -> {
            booked[0] += bytes;
            return true;
        };
        assertNull(run(grow, Map.of(), new byte[0], 0, roomy, Duration.ZERO).failure());
        assertEquals(1601L * 65536, booked[0], "1 initial page and 100 grows of 16");
        MemoryAccount tight = bytes -> bytes <= (50L << 20);
        assertEquals(Kind.MEMORY, run(grow, Map.of(), new byte[0], 0, tight, Duration.ZERO).failure());
    }

    @Test
    void aRunawayStopsAtItsTimeout() throws Exception {
        CompiledModule loop = compile(own, "loop");
        long start = System.nanoTime();
        assertEquals(Kind.INTERRUPTED, run(loop, Map.of(), new byte[0], 0, MemoryAccount.UNLIMITED, Duration.ofMillis(300)).failure());
        assertEquals(1, compiles.get());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 10_000, millis + " ms");
    }

    @Test
    void theBodyReachesTheModuleByteForByte() throws Exception {
        byte[] body = new byte[200_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        CompiledModule echo = compile(own, "echo");
        Result result = run(echo, Map.of(), body, 0, MemoryAccount.UNLIMITED, Duration.ZERO);
        assertEquals(1, compiles.get());
        assertNull(result.failure(), result.err());
        byte[] out = result.out().getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = new byte[body.length];
        System.arraycopy(out, out.length - body.length, tail, 0, body.length);
        assertArrayEquals(body, tail);
    }
}
