package dev.wagiservlet.engine;

import dev.wagiservlet.engine.http.OutboundHttpPolicy;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one run of a WASI command module gets from its host: the function to call, argv,
 * the environment, pre-opened directories and the three standard streams. The module sees nothing
 * else of the host.
 *
 * @param entrypoint the exported function to call
 * @param arguments argv
 * @param environment environment variables, in order
 * @param directories guest path to host directory
 * @param stdin standard input; read as the module asks, never closed by the engine
 * @param stdout standard output; written as the module writes, never closed by the engine
 * @param stderr standard error
 * @param http what the module may reach over outbound HTTP
 * @param maxMemory the most linear memory, in bytes, the instance may have; 0 for the module's own maximum
 * @param memory where the run books the heap its instance takes, before the engine allocates it
 * @param timeout how long the host lets the run take before it interrupts the run's thread; zero if
 *     it never does. An engine that cannot notice an interrupt at once (wasmtime: see
 *     docs/engines.md) stops the run itself a little after this.
 */
public record WasiInvocation(
        String entrypoint,
        List<String> arguments,
        Map<String, String> environment,
        Map<String, Path> directories,
        InputStream stdin,
        OutputStream stdout,
        OutputStream stderr,
        OutboundHttpPolicy http,
        long maxMemory,
        MemoryAccount memory,
        Duration timeout) {

    /** An invocation that may make no outbound HTTP requests. */
    public WasiInvocation(String entrypoint, List<String> arguments, Map<String, String> environment,
            Map<String, Path> directories, InputStream stdin, OutputStream stdout, OutputStream stderr) {
        this(entrypoint, arguments, environment, directories, stdin, stdout, stderr, OutboundHttpPolicy.DENY_ALL);
    }

    /** An invocation whose memory is limited only by the module itself. */
    public WasiInvocation(String entrypoint, List<String> arguments, Map<String, String> environment,
            Map<String, Path> directories, InputStream stdin, OutputStream stdout, OutputStream stderr, OutboundHttpPolicy http) {
        this(entrypoint, arguments, environment, directories, stdin, stdout, stderr, http, 0);
    }

    /** An invocation whose memory is booked nowhere (limited by {@code maxMemory} alone). */
    public WasiInvocation(String entrypoint, List<String> arguments, Map<String, String> environment,
            Map<String, Path> directories, InputStream stdin, OutputStream stdout, OutputStream stderr, OutboundHttpPolicy http,
            long maxMemory) {
        this(entrypoint, arguments, environment, directories, stdin, stdout, stderr, http, maxMemory, MemoryAccount.UNLIMITED);
    }

    /** An invocation without a timeout of its own (the host may still interrupt the run). */
    public WasiInvocation(String entrypoint, List<String> arguments, Map<String, String> environment,
            Map<String, Path> directories, InputStream stdin, OutputStream stdout, OutputStream stderr, OutboundHttpPolicy http,
            long maxMemory, MemoryAccount memory) {
        this(entrypoint, arguments, environment, directories, stdin, stdout, stderr, http, maxMemory, memory, Duration.ZERO);
    }

    public WasiInvocation {
        Objects.requireNonNull(entrypoint, "entrypoint");
        arguments = List.copyOf(arguments);
        Objects.requireNonNull(environment, "environment");
        directories = Map.copyOf(directories);
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(timeout, "timeout");
        if (maxMemory < 0) {
            throw new IllegalArgumentException("maxMemory must not be negative");
        }
    }
}
