package dev.wagiservlet.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.engine.ModuleExecutionException.Kind;
import dev.wagiservlet.engine.chicory.ChicoryEngineProvider;
import dev.wagiservlet.engine.http.OutboundHttpPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine contract (what {@link CompiledModule#run} must do with a {@link WasiInvocation}), run
 * on every engine: Chicory compiled, Chicory interpreted, and wasmtime where its native library
 * loads. What an engine does differently is said where a test allows for it (docs/engines.md).
 */
class EngineContractTest {

    static final String WASMTIME = "wasmtime";

    /** Engines, shared by the tests (an engine is meant to be shared) and never closed: the JVM ends with the tests. */
    private static final Map<String, WasmEngine> ENGINES = new ConcurrentHashMap<>();

    static List<String> engines() {
        return List.of("chicory-compiler", "chicory-interpreter", WASMTIME);
    }


    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));

    /** Compiled modules, per mode, shared by the tests (compiled modules are meant to be reused). */
    private static final Map<String, CompiledModule> COMPILED = new ConcurrentHashMap<>();

    /** (module (func (export "_start") (loop (br 0)))) */
    static final byte[] INFINITE_LOOP = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,                                  // type section: () -> ()
        0x03, 0x02, 0x01, 0x00,                                              // function section: one function of type 0
        0x07, 0x0a, 0x01, 0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x00,    // export "_start" = func 0
        0x0a, 0x09, 0x01, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b,    // code: loop br 0 end end
    };

    /** (module (import "env" "nope" (func)) (func (export "_start"))) */
    static final byte[] UNKNOWN_IMPORT = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x02, 0x0c, 0x01, 0x03, 'e', 'n', 'v', 0x04, 'n', 'o', 'p', 'e', 0x00, 0x00, // import env.nope: func type 0
        0x03, 0x02, 0x01, 0x00,
        0x07, 0x0a, 0x01, 0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x01,    // export "_start" = func 1
        0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
    };

    /** (module (func (export "f") (param i32)) (func (export "g") (result i32) i32.const 7)) */
    static final byte[] WITH_PARAMS = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x09, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x01, 0x7f,    // types: (i32)->(), ()->i32
        0x03, 0x03, 0x02, 0x00, 0x01,
        0x07, 0x09, 0x02, 0x01, 'f', 0x00, 0x00, 0x01, 'g', 0x00, 0x01,
        0x0a, 0x09, 0x02, 0x02, 0x00, 0x0b, 0x04, 0x00, 0x41, 0x07, 0x0b,
    };

    /** (module (func $f (export "_start") call $f)): recursion without end. */
    static final byte[] INFINITE_RECURSION = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x03, 0x02, 0x01, 0x00,
        0x07, 0x0a, 0x01, 0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x00,
        0x0a, 0x06, 0x01, 0x04, 0x00, 0x10, 0x00, 0x0b,                      // code: call 0 end
    };

    private static WasmEngine engine(String engine) {
        return ENGINES.computeIfAbsent(engine, name -> switch (name) {
            case "chicory-compiler" -> new ChicoryEngineProvider().create(new WasmEngineProvider.Options(false, Optional.empty()));
            case "chicory-interpreter" -> new ChicoryEngineProvider().create(new WasmEngineProvider.Options(true, Optional.empty()));
            default -> Engines.create(EngineContractTest.class.getClassLoader(), name,
                    new WasmEngineProvider.Options(false, Optional.empty()));
        });
    }

    private static CompiledModule module(String engine, String name) {
        return COMPILED.computeIfAbsent(engine + ":" + name, k -> {
            try {
                Path file = MODULES.resolve(name + ".wasm");
                return engine(engine).compile(file.toString(), Files.readAllBytes(file));
            } catch (IOException | ModuleLoadException e) {
                throw new AssertionError("cannot compile " + name, e);
            }
        });
    }

    record Result(byte[] stdout, byte[] stderr, ModuleExecutionException failure) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        String err() {
            return new String(stderr, StandardCharsets.UTF_8);
        }
    }

    private static Result run(CompiledModule module, String entrypoint, List<String> args, Map<String, String> env, byte[] stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        WasiInvocation invocation = new WasiInvocation(entrypoint, args, env, Map.of(), new ByteArrayInputStream(stdin), out, err);
        ModuleExecutionException failure = null;
        try {
            module.run(invocation);
        } catch (ModuleExecutionException e) {
            failure = e;
        }
        return new Result(out.toByteArray(), err.toByteArray(), failure);
    }

    private static Result run(String engine, String name) {
        return run(module(engine, name), "_start", List.of(name), Map.of(), new byte[0]);
    }

    private static Result succeed(Result result) {
        if (result.failure() != null) {
            throw new AssertionError("module failed: " + result.failure().kind() + " " + result.failure().getMessage()
                    + "; stderr: " + result.err(), result.failure());
        }
        return result;
    }

    @ParameterizedTest
    @MethodSource("engines")
    void hello(String engine) {
        Result result = succeed(run(engine, "hello"));
        assertEquals("Content-Type: text/plain\n\nHello, world!\n", result.out());
        assertEquals("", result.err());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void compiledModuleKeepsItsName(String engine) throws ModuleLoadException {
        CompiledModule module = engine(engine).compile("the-name", INFINITE_LOOP);
        assertEquals("the-name", module.name());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void echoCopiesA300KbBinaryBodyByteExact(String engine) {
        byte[] body = new byte[300 * 1024];
        new Random(42).nextBytes(body);
        Result result = succeed(run(module(engine, "echo"), "_start", List.of("/echo"),
                Map.of("CONTENT_TYPE", "application/x-test"), body));
        byte[] head = "Content-Type: application/x-test\n\n".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = new byte[head.length + body.length];
        System.arraycopy(head, 0, expected, 0, head.length);
        System.arraycopy(body, 0, expected, head.length, body.length);
        assertEquals(expected.length, result.stdout().length);
        assertArrayEquals(expected, result.stdout());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void echoDefaultsItsContentType(String engine) {
        Result result = succeed(run(module(engine, "echo"), "_start", List.of("/echo"), Map.of(), "abc".getBytes(StandardCharsets.UTF_8)));
        assertEquals("Content-Type: application/octet-stream\n\nabc", result.out());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void envSeesExactlyTheGivenArgumentsAndEnvironment(String engine) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REQUEST_METHOD", "POST");
        env.put("SCRIPT_NAME", "/env");
        env.put("EMPTY", "");
        env.put("UTF8", "h\u00e9llo");
        env.put("WITH_EQUALS", "a=b=c");
        Result result = succeed(run(module(engine, "env"), "_start", List.of("/env/foo", "greet=matt", "", "x y"), env,
                "12345".getBytes(StandardCharsets.UTF_8)));
        assertEquals("Content-Type: text/plain\n\n"
                + "argv[0]=/env/foo\n"
                + "argv[1]=greet=matt\n"
                + "argv[2]=\n"
                + "argv[3]=x y\n"
                + "REQUEST_METHOD=POST\n"
                + "SCRIPT_NAME=/env\n"
                + "EMPTY=\n"
                + "UTF8=h\u00e9llo\n"
                + "WITH_EQUALS=a=b=c\n"
                + "body_len=5\n", result.out());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void envSeesNoHostEnvironment(String engine) {
        Result result = succeed(run(module(engine, "env"), "_start", List.of("/env"), Map.of(), new byte[0]));
        assertEquals("Content-Type: text/plain\n\nargv[0]=/env\nbody_len=0\n", result.out());
        for (String name : System.getenv().keySet()) {
            assertFalse(result.out().contains("\n" + name + "="), "host variable leaked: " + name);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void rustModuleSeesArgumentsEnvironmentAndBody(String engine) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REQUEST_METHOD", "GET");
        env.put("A", "b");
        Result result = succeed(run(module(engine, "rust-env"), "_start", List.of("/r", "q=1"), env,
                "xyz".getBytes(StandardCharsets.UTF_8)));
        assertEquals("Content-Type: text/plain\n\nhello from Rust\nREQUEST_METHOD=GET\n"
                + "argv[0]=/r\nargv[1]=q=1\nREQUEST_METHOD=GET\nA=b\nbody_len=3\n", result.out());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void multiEntrypoints(String engine) {
        CompiledModule multi = module(engine, "multi");
        assertEquals("Content-Type: text/plain\n\nhello entrypoint\n",
                succeed(run(multi, "hello", List.of("/hello"), Map.of(), new byte[0])).out());
        assertEquals("Status: 404 Not Found\nContent-Type: text/plain\n\ngoodbye entrypoint\n",
                succeed(run(multi, "goodbye", List.of("/goodbye"), Map.of(), new byte[0])).out());
        assertEquals("Content-Type: text/plain\n\nmain entrypoint\n",
                succeed(run(multi, "_start", List.of("/"), Map.of(), new byte[0])).out());
        assertEquals("/hello hello\n/goodbye goodbye\n",
                succeed(run(multi, "_routes", List.of(), Map.of(), new byte[0])).out());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void hasEntrypoint(String engine) {
        CompiledModule multi = module(engine, "multi");
        assertTrue(multi.hasEntrypoint("hello"));
        assertTrue(multi.hasEntrypoint("goodbye"));
        assertTrue(multi.hasEntrypoint("_start"));
        assertTrue(multi.hasEntrypoint("_routes"));
        assertFalse(multi.hasEntrypoint("nope"));
        assertFalse(multi.hasEntrypoint("memory"));
        assertFalse(multi.hasEntrypoint("Hello"));
        assertFalse(multi.hasEntrypoint(""));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void exportsWithParametersOrResultsAreNotEntrypoints(String engine) throws ModuleLoadException {
        CompiledModule module = engine(engine).compile("with-params", WITH_PARAMS);
        assertFalse(module.hasEntrypoint("f"));
        assertFalse(module.hasEntrypoint("g"));
        Result result = run(module, "f", List.of(), Map.of(), new byte[0]);
        assertEquals(Kind.MISSING_ENTRYPOINT, result.failure().kind());
        assertEquals(Kind.MISSING_ENTRYPOINT, run(module, "g", List.of(), Map.of(), new byte[0]).failure().kind());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void missingEntrypoint(String engine) {
        CompiledModule multi = module(engine, "multi");
        Result result = run(multi, "nope", List.of(), Map.of(), new byte[0]);
        assertEquals(Kind.MISSING_ENTRYPOINT, result.failure().kind());
        assertTrue(result.failure().getMessage().contains("'nope'"), result.failure().getMessage());
        assertEquals(0, result.stdout().length);

        Result memory = run(multi, "memory", List.of(), Map.of(), new byte[0]);
        assertEquals(Kind.MISSING_ENTRYPOINT, memory.failure().kind());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void exit0ReturnsNormally(String engine) {
        Result result = succeed(run(engine, "exit0"));
        assertEquals("Content-Type: text/plain\n\nexit zero\n", result.out());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void exit1IsAnExitFailureWithItsStderr(String engine) {
        Result result = run(engine, "exit1");
        assertEquals(Kind.EXIT, result.failure().kind());
        assertEquals(1, result.failure().exitCode());
        assertEquals("exiting with 1\n", result.err());
        assertEquals(0, result.stdout().length);
        assertTrue(result.failure().getMessage().contains("1"), result.failure().getMessage());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void trap(String engine) {
        Result result = run(engine, "trap");
        assertEquals(Kind.TRAP, result.failure().kind());
        assertEquals(0, result.stdout().length);
    }

    /** Books into a fixed amount, as the filter's memory budget does, and remembers what it booked. */
    private static final class Budget implements MemoryAccount {
        private final long capacity;
        long booked;

        Budget(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public boolean reserve(long bytes) {
            if (booked + bytes > capacity) {
                return false;
            }
            booked += bytes;
            return true;
        }
    }

    private static Result runBooked(String engine, String name, MemoryAccount account) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModuleExecutionException failure = null;
        try {
            module(engine, name).run(new WasiInvocation("_start", List.of(name), Map.of(), Map.of(), new ByteArrayInputStream(new byte[0]),
                    out, new ByteArrayOutputStream(), OutboundHttpPolicy.DENY_ALL, 0, account));
        } catch (ModuleExecutionException e) {
            failure = e;
        }
        return new Result(out.toByteArray(), new byte[0], failure);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void initialMemoryAndEveryGrowAreBookedBeforeTheyAreTaken(String engine) {
        Budget roomy = new Budget(200L << 20);
        succeed(runBooked(engine, "grow", roomy));
        assertEquals(1601L * 65536, roomy.booked, "1 initial page and 100 grows of 16");

        Budget tight = new Budget(50L << 20);
        Result refused = runBooked(engine, "grow", tight);
        // Chicory books each grow before it: a refused grow fails as at the maximum, the module traps. wasmtime-java has
        // no hook on memory.grow: the growth is booked at the module's next host call, which ends the run (docs/engines.md).
        assertEquals(engine.equals(WASMTIME) ? Kind.MEMORY : Kind.TRAP, refused.failure().kind(), refused.failure().getMessage());
        assertTrue(tight.booked <= 50L << 20);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void anInstanceTheBudgetHasNoRoomForDoesNotStart(String engine) {
        if (!engine.equals(WASMTIME)) { // wasmtime: tables are not booked (docs/engines.md)
            Result table = runBooked(engine, "bigtable", new Budget(10L << 20));
            assertEquals(Kind.MEMORY, table.failure().kind(), "ten million table entries");
        }
        Result memory = runBooked(engine, "bigstart", new Budget(10L << 20));
        assertEquals(Kind.MEMORY, memory.failure().kind(), "48 MiB of initial memory");
        Budget enough = new Budget(49L << 20);
        succeed(runBooked(engine, "bigstart", enough));
        assertEquals(768L * 65536, enough.booked);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void trapAfterOutputKeepsTheOutput(String engine) {
        Result result = run(engine, "midfail");
        assertEquals(Kind.TRAP, result.failure().kind());
        assertEquals("Content-Type: text/plain\n\npartial body\n", result.out());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void stderrIsSeparateFromStdout(String engine) {
        Result result = succeed(run(engine, "stderr"));
        assertEquals("stderr line from module\n", result.err());
        assertEquals("Content-Type: text/plain\n\nlogged\n", result.out());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void bigBodyIsByteExact(String engine) {
        Result result = succeed(run(engine, "big-body"));
        byte[] head = "Content-Type: application/octet-stream\n\n".getBytes(StandardCharsets.US_ASCII);
        byte[] out = result.stdout();
        assertEquals(head.length + 1_048_576, out.length);
        assertArrayEquals(head, Arrays.copyOf(out, head.length));
        for (int i = 0; i < 1_048_576; i++) {
            if (out[head.length + i] != (byte) (i % 251)) {
                throw new AssertionError("body byte " + i + " is " + (out[head.length + i] & 0xff));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void eachModuleWriteReachesStdoutAsItHappens(String engine) {
        List<Integer> writes = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        OutputStream recording = new OutputStream() {
            @Override
            public void write(int b) {
                writes.add(1);
                all.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
                all.write(b, off, len);
            }
        };
        WasiInvocation invocation = new WasiInvocation("_start", List.of("/split"), Map.of(), Map.of(),
                new ByteArrayInputStream(new byte[0]), recording, new ByteArrayOutputStream());
        assertDoesNotFail(() -> module(engine, "split-headers").run(invocation));
        assertEquals("Content-Type: text/plain\r\nX-A: 1\r\n\r\nbody", all.toString(StandardCharsets.ISO_8859_1));
        assertEquals(40, writes.stream().mapToInt(Integer::intValue).sum());
        assertTrue(writes.stream().allMatch(n -> n == 1), writes.toString());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void firstChunkIsWrittenWhileTheModuleWaitsForStdin(String engine) throws Exception {
        PipedOutputStream client = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(client);
        CountDownLatch firstChunk = new CountDownLatch(1);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        OutputStream stdout = new OutputStream() {
            @Override
            public synchronized void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                all.write(b, off, len);
                if (all.toString(StandardCharsets.US_ASCII).endsWith("first\n")) {
                    firstChunk.countDown();
                }
            }
        };
        WasiInvocation invocation = new WasiInvocation("_start", List.of("/stream"), Map.of(), Map.of(), stdin, stdout,
                new ByteArrayOutputStream());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                module(engine, "stream").run(invocation);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        runner.start();
        assertTrue(firstChunk.await(30, TimeUnit.SECONDS), "first chunk never came");
        synchronized (stdout) {
            assertEquals("Content-Type: text/plain\n\nfirst\n", all.toString(StandardCharsets.US_ASCII));
        }
        assertTrue(runner.isAlive(), "the module should still wait for stdin");
        client.write("some body".getBytes(StandardCharsets.US_ASCII));
        client.close();
        runner.join(30_000);
        assertFalse(runner.isAlive());
        assertNull(failure.get());
        assertEquals("Content-Type: text/plain\n\nfirst\nlast\n", all.toString(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void streamsAreNotClosedByTheEngine(String engine) {
        boolean[] closed = new boolean[3];
        InputStream stdin = new ByteArrayInputStream(new byte[0]) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        OutputStream stdout = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[1] = true;
            }
        };
        OutputStream stderr = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[2] = true;
            }
        };
        assertDoesNotFail(() -> module(engine, "env").run(
                new WasiInvocation("_start", List.of("/env"), Map.of(), Map.of(), stdin, stdout, stderr)));
        assertArrayEquals(new boolean[] {false, false, false}, closed);
        assertTrue(stdout.toString().endsWith("body_len=0\n"), stdout.toString());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void eachRunGetsAFreshInstance(String engine) {
        CompiledModule env = module(engine, "env");
        Result first = succeed(run(env, "_start", List.of("/a"), Map.of("ONE", "1"), "x".getBytes(StandardCharsets.UTF_8)));
        Result second = succeed(run(env, "_start", List.of("/b"), Map.of("TWO", "2"), new byte[0]));
        assertEquals("Content-Type: text/plain\n\nargv[0]=/a\nONE=1\nbody_len=1\n", first.out());
        assertEquals("Content-Type: text/plain\n\nargv[0]=/b\nTWO=2\nbody_len=0\n", second.out());
        // a failure does not spoil the module for later runs
        assertEquals(Kind.EXIT, run(engine, "exit1").failure().kind());
        assertEquals(Kind.EXIT, run(engine, "exit1").failure().kind());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void garbageIsAModuleLoadException(String engine) throws IOException {
        Path garbage = MODULES.resolve("garbage.wasm");
        byte[] bytes = Files.readAllBytes(garbage);
        assertEquals("this is not a wasm module\n", new String(bytes, StandardCharsets.US_ASCII));
        ModuleLoadException e = assertThrows(ModuleLoadException.class, () -> engine(engine).compile("garbage.wasm", bytes));
        assertTrue(e.getMessage().contains("garbage.wasm"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void emptyBytesAreAModuleLoadException(String engine) {
        ModuleLoadException e = assertThrows(ModuleLoadException.class, () -> engine(engine).compile("empty.wasm", new byte[0]));
        assertTrue(e.getMessage().contains("empty.wasm"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void truncatedModuleIsAModuleLoadException(String engine) throws IOException {
        byte[] hello = Files.readAllBytes(MODULES.resolve("hello.wasm"));
        byte[] truncated = Arrays.copyOf(hello, hello.length / 2);
        ModuleLoadException e = assertThrows(ModuleLoadException.class, () -> engine(engine).compile("half.wasm", truncated));
        assertTrue(e.getMessage().contains("half.wasm"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void unknownImportIsALinkFailure(String engine) throws ModuleLoadException {
        CompiledModule module = engine(engine).compile("unknown-import", UNKNOWN_IMPORT);
        assertTrue(module.hasEntrypoint("_start"));
        Result result = run(module, "_start", List.of(), Map.of(), new byte[0]);
        assertEquals(Kind.LINK, result.failure().kind());
        assertTrue(result.failure().getMessage().contains("unknown-import"), result.failure().getMessage());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void concurrentRunsFromTwoThreads(String engine) throws Exception {
        CompiledModule env = module(engine, "env");
        int runs = 200;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < runs; i++) {
                        String arg = "t" + thread + "-" + i;
                        byte[] body = new byte[i % 17];
                        Map<String, String> vars = new HashMap<>();
                        vars.put("RUN", arg);
                        Result result = succeed(run(env, "_start", List.of("/env", arg), vars, body));
                        String expected = "Content-Type: text/plain\n\nargv[0]=/env\nargv[1]=" + arg + "\nRUN=" + arg
                                + "\nbody_len=" + body.length + "\n";
                        assertEquals(expected, result.out(), "thread " + thread + " run " + i);
                    }
                    return runs;
                }));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertEquals(runs, result.get(5, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void interruptingAnInfiniteLoopGivesInterrupted(String engine) throws Exception {
        CompiledModule loop = engine(engine).compile("loop", INFINITE_LOOP);
        assertTrue(loop.hasEntrypoint("_start"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread runner = new Thread(() -> {
            started.countDown();
            try {
                loop.run(new WasiInvocation("_start", List.of(), Map.of(), Map.of(), new ByteArrayInputStream(new byte[0]),
                        new ByteArrayOutputStream(), new ByteArrayOutputStream(), OutboundHttpPolicy.DENY_ALL, 0,
                        MemoryAccount.UNLIMITED, Duration.ofMillis(300))); // wasmtime stops a loop at its deadline
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "infinite-loop");
        runner.setDaemon(true);
        runner.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Thread.sleep(300);
        assertTrue(runner.isAlive(), "the loop ended by itself");
        runner.interrupt();
        runner.join(30_000);
        assertFalse(runner.isAlive(), "the loop did not stop when interrupted");
        ModuleExecutionException e = assertInstanceOfExecution(failure.get());
        assertEquals(Kind.INTERRUPTED, e.kind());
        assertTrue(e.getMessage().contains("loop"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void endlessRecursionIsATrap(String engine) throws Exception {
        CompiledModule recursion = engine(engine).compile("recursion", INFINITE_RECURSION);
        AtomicReference<Result> result = new AtomicReference<>();
        // a thread of the stack size the engine was made for, as the gateway runs modules on
        Thread runner = new Thread(null, () -> result.set(run(recursion, "_start", List.of(), Map.of(), new byte[0])),
                "recursion", WasmEngineProvider.Options.DEFAULT_THREAD_STACK_SIZE);
        runner.start();
        runner.join(120_000);
        assertFalse(runner.isAlive(), "endless recursion did not end");
        assertEquals(Kind.TRAP, result.get().failure().kind());
    }

    @Test
    void invocationCopiesArgumentsAndDirectories() {
        List<String> args = new ArrayList<>(List.of("/a"));
        Map<String, Path> dirs = new HashMap<>(Map.of("/data", Path.of("/tmp")));
        WasiInvocation invocation = new WasiInvocation("_start", args, Map.of(), dirs, new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream());
        args.add("/b");
        dirs.clear();
        assertEquals(List.of("/a"), invocation.arguments());
        assertEquals(Map.of("/data", Path.of("/tmp")), invocation.directories());
    }

    private static ModuleExecutionException assertInstanceOfExecution(Throwable t) {
        if (t instanceof ModuleExecutionException e) {
            return e;
        }
        throw new AssertionError("expected a ModuleExecutionException, got " + t, t);
    }

    interface Action {
        void run() throws Exception;
    }

    private static void assertDoesNotFail(Action action) {
        try {
            action.run();
        } catch (Exception e) {
            throw new AssertionError("unexpected failure", e);
        }
    }

    // --- messages that say what to do ----------------------------------------------------------

    @ParameterizedTest
    @MethodSource("engines")
    void importsTheHostLacksAreListed(String engine) {
        assertEquals(List.of("spin-config::get-config"), module(engine, "spin-config").unresolvableImports(),
                "WASI's fd_write links; Spin's get-config does not");
        assertEquals(List.of("env::missing"), module(engine, "badimport").unresolvableImports());
        assertEquals(List.of(), module(engine, "hello").unresolvableImports());
        assertEquals(List.of(), module(engine, "http-client").unresolvableImports(), "wasi_experimental_http links");
        assertEquals(List.of("wasi_experimental_http::frobnicate"), module(engine, "http-frobnicate").unresolvableImports());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void memoryGrowStopsAtTheCap(String engine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModuleExecutionException failure = null;
        try {
            module(engine, "grow").run(new WasiInvocation("_start", List.of("grow"), Map.of(), Map.of(),
                    new ByteArrayInputStream(new byte[0]), out, new ByteArrayOutputStream(), OutboundHttpPolicy.DENY_ALL, 50L << 20));
        } catch (ModuleExecutionException e) {
            failure = e;
        }
        assertEquals(Kind.TRAP, failure == null ? null : failure.kind(), "grow traps when memory.grow fails at the cap");
        Result bigstart = runCapped(engine, "bigstart", 10L << 20);
        assertEquals(Kind.LINK, bigstart.failure().kind(), "48 MiB of initial memory over a 10 MiB cap");
    }

    private static Result runCapped(String engine, String name, long cap) {
        ModuleExecutionException failure = null;
        try {
            module(engine, name).run(new WasiInvocation("_start", List.of(name), Map.of(), Map.of(),
                    new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), new ByteArrayOutputStream(),
                    OutboundHttpPolicy.DENY_ALL, cap));
        } catch (ModuleExecutionException e) {
            failure = e;
        }
        return new Result(new byte[0], new byte[0], failure);
    }
}
