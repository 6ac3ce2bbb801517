package dev.wagiservlet.bench;

import dev.wagiservlet.cgi.CgiArguments;
import dev.wagiservlet.cgi.CgiEnvironment;
import dev.wagiservlet.cgi.CgiRequest;
import dev.wagiservlet.config.Limits;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.Engines;
import dev.wagiservlet.engine.MemoryAccount;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.ModuleLoadException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.WasmEngine;
import dev.wagiservlet.engine.WasmEngineProvider;
import dev.wagiservlet.engine.http.OutboundHttpPolicy;
import dev.wagiservlet.routing.RoutePattern;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code CompiledModule.run} on the wasmtime engine, as the filter calls it (the typical request's
 * CGI environment, a 30 s timeout, the default memory cap), stdout into a byte array.
 * {@code hello} is hello.wasm; {@code esbuild} is the bench's big module ({@code -Dbench.big.module},
 * bench/run.sh fetches it) transforming the bench's request body. The first run makes the engine
 * compile the module with its own memory in the background (docs/engines.md); the setup waits
 * {@code -Dbench.wasmtime.settle} seconds for that (default 1, esbuild 60).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class WasmtimeRunBenchmark {

    /** What the bench's esbuild route gets: a template literal, which esbuild prints back as a CGI response. */
    private static final byte[] ESBUILD_INPUT = "`\nContent-Type: text/plain\n\nHello from esbuild`\n".getBytes(StandardCharsets.UTF_8);

    @Param({"hello"})
    public String module;

    private WasmEngine engine;
    private CompiledModule compiled;
    private List<String> argv;
    private Map<String, String> env;
    private byte[] stdin;

    @Setup(Level.Trial)
    public void setUp() throws ModuleLoadException, ModuleExecutionException, InterruptedException {
        Path file = module.equals("esbuild") ? Path.of(System.getProperty("bench.big.module", "")) : BenchInputs.module(module);
        engine = Engines.create(getClass().getClassLoader(), "wasmtime", new WasmEngineProvider.Options(false, Optional.empty()));
        compiled = engine.compile(module, BenchInputs.bytes(file));
        CgiRequest request = BenchInputs.typicalRequest("/" + module);
        env = CgiEnvironment.build(request, RoutePattern.parse("/" + module), "");
        argv = CgiArguments.build(request.requestUri(), request.queryString(), Optional.empty());
        stdin = module.equals("esbuild") ? ESBUILD_INPUT : new byte[0];
        run();
        Thread.sleep(TimeUnit.SECONDS.toMillis(Long.getLong("bench.wasmtime.settle", module.equals("esbuild") ? 60 : 1)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public int run() throws ModuleExecutionException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream(2048);
        compiled.run(new WasiInvocation("_start", argv, env, Map.of(), new ByteArrayInputStream(stdin), stdout,
                OutputStream.nullOutputStream(), OutboundHttpPolicy.DENY_ALL, Limits.DEFAULTS.maxMemory(), MemoryAccount.UNLIMITED,
                Limits.DEFAULTS.timeout()));
        return stdout.size();
    }
}
