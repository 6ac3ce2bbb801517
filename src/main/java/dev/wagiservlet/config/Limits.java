package dev.wagiservlet.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one request to a module may use. Each limit has a default, can be set for all routes and
 * overridden per route, and is answered with its own status when exceeded:
 *
 * <pre>
 * timeout          30s     504 (or an aborted connection once the response is streaming)
 * max_memory       256MiB  linear memory per instance; growing past it fails: 500
 * max_concurrency  half of max_total_concurrency: requests running one route at once; past it, wait, then 503 + Retry-After
 * max_body_size    64MiB   request body: 413
 * max_header_size  64KiB   the module's CGI header block: 502
 * max_output_size  none    the module's whole stdout: 502 (or an aborted connection)
 * max_stderr_size  16KiB   the module's stderr kept for the log per run; the rest is dropped, and the log says so
 * max_stderr_lines 100     lines of stderr kept for the log per run; the rest is dropped, and the log says so
 * </pre>
 *
 * @param timeout wall-clock time for one run
 * @param maxMemory bytes of linear memory per instance
 * @param maxConcurrency runs of one route at once; 0 for no limit but the overall one
 * @param maxBodySize bytes of request body
 * @param maxHeaderSize bytes of CGI header block
 * @param maxOutputSize bytes of stdout; 0 for no limit
 * @param maxStderrSize bytes of stderr logged per run
 * @param maxStderrLines lines of stderr logged per run
 */
public record Limits(Duration timeout, long maxMemory, int maxConcurrency, long maxBodySize, int maxHeaderSize, long maxOutputSize,
        long maxStderrSize, int maxStderrLines) {

    /** The defaults. */
    public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(30), 256L << 20, 0, 64L << 20, 64 << 10, 0, 16 << 10, 100);

    /** The keys, as in configuration. */
    static final Set<String> KEYS = Keys.names(Keys.Scope.LIMIT);

    public Limits {
        Objects.requireNonNull(timeout, "timeout");
        if (maxStderrSize <= 0 || maxStderrLines <= 0) {
            throw new IllegalArgumentException("the stderr caps must be more than zero");
        }
    }

    /** These limits with the keys that are set replaced (keys as in {@link #KEYS}). */
    Limits with(Map<String, Setting> keys) {
        return LimitOverrides.read(keys).over(this);
    }
}
