package dev.wagiservlet.bench;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.wagiservlet.cgi.CgiArguments;
import dev.wagiservlet.cgi.CgiEnvironment;
import dev.wagiservlet.cgi.CgiRequest;
import dev.wagiservlet.config.Limits;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.ModuleLoadException;
import dev.wagiservlet.engine.http.OutboundHttpPolicy;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.chicory.ChicoryEngine;
import dev.wagiservlet.routing.RoutePattern;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Instantiating and running a compiled module, with in-memory streams:
 *
 * <ul>
 *   <li>{@link #run}: {@code CompiledModule.run} as the filter calls it (a WASI context, a fresh
 *       instance with its own linear memory, then {@code _start}); stdout into a byte array.</li>
 *   <li>{@link #instantiate}: only the WASI context and the instance, no call: the same steps as
 *       {@code ChicoryModule.run} before {@code _start}, through Chicory's API directly (keep it in
 *       step with {@code engine/chicory/ChicoryModule}). {@code run - instantiate} is the module's
 *       own execution.</li>
 * </ul>
 *
 * {@code hello} is hello.wasm (C, 2 pages = 128 KiB of memory); {@code rust-1m} is
 * bench/wasm/rust-1m.wasm (Rust std, 16 pages = 1 MiB).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class ModuleRunBenchmark {

    @Param({"hello", "rust-1m"})
    public String module;

    private CompiledModule compiled;
    private WasmModule parsed;
    private Function<Instance, Machine> machines;
    private List<String> argv;
    private Map<String, String> env;

    @Setup(Level.Trial)
    public void setUp() throws ModuleLoadException {
        byte[] wasm = BenchInputs.bytes(BenchInputs.module(module));
        compiled = new ChicoryEngine(true).compile(module, wasm);
        parsed = Parser.parse(wasm);
        machines = MachineFactoryCompiler.builder(parsed).withInterpreterFallback(InterpreterFallback.WARN).compile();
        String path = module.equals("hello") ? "/hello" : "/rust";
        CgiRequest request = BenchInputs.typicalRequest(path);
        env = CgiEnvironment.build(request, RoutePattern.parse(path), "");
        argv = CgiArguments.build(request.requestUri(), request.queryString(), Optional.empty());
    }

    @Benchmark
    public int run() throws ModuleExecutionException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream(2048);
        compiled.run(new WasiInvocation("_start", argv, env, Map.of(), new ByteArrayInputStream(new byte[0]), stdout,
                OutputStream.nullOutputStream(), OutboundHttpPolicy.DENY_ALL, Limits.DEFAULTS.maxMemory())); // as the filter runs it
        return stdout.size();
    }

    @Benchmark
    public Instance instantiate() {
        WasiOptions.Builder options = WasiOptions.builder()
                .withStdin(new ByteArrayInputStream(new byte[0]))
                .withStdout(new ByteArrayOutputStream(2048))
                .withStderr(OutputStream.nullOutputStream())
                .withArguments(argv)
                .withThrowOnExit0(true);
        env.forEach(options::withEnvironment);
        try (WasiPreview1 wasi = WasiPreview1.builder().withOptions(options.build()).build()) {
            return Instance.builder(parsed)
                    .withImportValues(ImportValues.builder().addFunction(wasi.toHostFunctions()).build())
                    .withMachineFactory(machines)
                    .withStart(false)
                    .build();
        }
    }
}
