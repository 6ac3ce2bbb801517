package dev.wagiservlet.bench;

import dev.wagiservlet.cache.ModuleCache;
import dev.wagiservlet.cgi.CgiArguments;
import dev.wagiservlet.cgi.CgiEnvironment;
import dev.wagiservlet.cgi.CgiRequest;
import dev.wagiservlet.cgi.CgiResponseHead;
import dev.wagiservlet.cgi.CgiStdout;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.ModuleLoadException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.chicory.ChicoryEngine;
import dev.wagiservlet.routing.RoutePattern;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The steps of one WAGI request without HTTP, each on its own, plus all of them together:
 *
 * <ul>
 *   <li>{@link #environmentAndArguments}: {@code CgiEnvironment.build} + {@code CgiArguments.build}
 *       for a typical GET with eight headers</li>
 *   <li>{@link #parseHello} / {@link #parseTypical}: the module's stdout through {@code CgiStdout}
 *       (header block parsed, body passed on) for hello's output and for a response with status,
 *       five headers and 1 KB of body</li>
 *   <li>{@link #cacheHit}: {@code ModuleCache.get} of an already compiled module (a stat of the
 *       file plus the cache lookup)</li>
 *   <li>{@link #wholeRequest}: cache hit, env and argv, instantiate and run hello.wasm with its
 *       stdout parsed: the filter's per-request work minus the servlet API</li>
 * </ul>
 *
 * Instantiate and run are in {@link ModuleRunBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class RequestPathBenchmark {

    private static final byte[] HELLO_OUTPUT = "Content-Type: text/plain\n\nHello, world!\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TYPICAL_OUTPUT = typicalOutput();

    private CgiRequest request;
    private RoutePattern route;
    private ModuleCache cache;
    private Path helloFile;

    @Setup(Level.Trial)
    public void setUp() throws ModuleLoadException {
        request = BenchInputs.typicalRequest("/hello");
        route = RoutePattern.parse("/hello");
        helloFile = BenchInputs.module("hello");
        cache = new ModuleCache(new ChicoryEngine(true), 100);
        cache.get(helloFile); // compiled once: every get() below is a hit
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
    }

    @Benchmark
    public void environmentAndArguments(Blackhole bh) {
        bh.consume(CgiEnvironment.build(request, route, ""));
        bh.consume(CgiArguments.build(request.requestUri(), request.queryString(), Optional.empty()));
    }

    @Benchmark
    public CgiResponseHead parseHello(Blackhole bh) throws IOException {
        return parse(HELLO_OUTPUT, bh);
    }

    @Benchmark
    public CgiResponseHead parseTypical(Blackhole bh) throws IOException {
        return parse(TYPICAL_OUTPUT, bh);
    }

    @Benchmark
    public CompiledModule cacheHit() throws ModuleLoadException {
        return cache.get(helloFile);
    }

    @Benchmark
    public CgiResponseHead wholeRequest(Blackhole bh) throws ModuleLoadException, ModuleExecutionException {
        CompiledModule module = cache.get(helloFile);
        Map<String, String> env = CgiEnvironment.build(request, route, "");
        List<String> argv = CgiArguments.build(request.requestUri(), request.queryString(), Optional.empty());
        Sink sink = new Sink(bh);
        CgiStdout stdout = new CgiStdout(sink, 64 * 1024);
        module.run(new WasiInvocation("_start", argv, env, Map.of(), new ByteArrayInputStream(new byte[0]), stdout,
                OutputStream.nullOutputStream()));
        return sink.head;
    }

    private static CgiResponseHead parse(byte[] output, Blackhole bh) throws IOException {
        Sink sink = new Sink(bh);
        CgiStdout stdout = new CgiStdout(sink, 64 * 1024);
        stdout.write(output, 0, output.length);
        return sink.head;
    }

    private static byte[] typicalOutput() {
        StringBuilder sb = new StringBuilder()
                .append("Status: 201 Created\r\n")
                .append("Content-Type: application/json; charset=utf-8\r\n")
                .append("Cache-Control: no-store\r\n")
                .append("Set-Cookie: session=0123456789abcdef; Path=/; HttpOnly\r\n")
                .append("Set-Cookie: theme=dark; Path=/\r\n")
                .append("X-Request-Id: 5f0c6c9e-3b1a-4f57-9a53-1f1d2c3b4a59\r\n")
                .append("\r\n");
        while (sb.length() < 1200) {
            sb.append("{\"id\":12345,\"name\":\"bench\",\"tags\":[\"a\",\"b\",\"c\"]}\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Takes the head and swallows the body, as the servlet response would. */
    static final class Sink implements CgiStdout.Sink {
        private final Blackhole bh;
        CgiResponseHead head;

        Sink(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void head(CgiResponseHead head) {
            this.head = head;
        }

        @Override
        public void body(byte[] bytes, int offset, int length) {
            bh.consume(bytes);
            bh.consume(length);
        }
    }
}
