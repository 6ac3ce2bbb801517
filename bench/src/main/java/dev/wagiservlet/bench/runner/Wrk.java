package dev.wagiservlet.bench.runner;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs wrk (the Debian package) against a loopback URL and reads the line bench.lua prints. */
final class Wrk {

    /**
     * One wrk run.
     *
     * @param requests completed requests
     * @param seconds the measured duration
     * @param errors socket errors (connect, read, write, timeout) plus non-2xx/3xx responses
     * @param p50Micros median latency
     * @param p99Micros 99th percentile latency
     * @param maxMicros the slowest request
     * @param raw wrk's whole output
     */
    record Result(long requests, double seconds, long errors, long p50Micros, long p90Micros, long p99Micros,
                  long maxMicros, double meanMicros, String raw) {
        double requestsPerSecond() {
            return seconds > 0 ? requests / seconds : 0;
        }
    }

    private final Path script;

    Wrk(Path script) {
        this.script = script;
    }

    /**
     * @param url a loopback URL
     * @param connections open connections (wrk threads: 2, or 1 for a single connection, as wrk needs
     *                    at least one connection per thread)
     * @param duration how long to drive it
     * @param timeout wrk's {@code --timeout}: a request slower than this counts as an error
     * @param body what each request sends
     */
    Result run(URI url, int connections, Duration duration, Duration timeout, RequestBody body) throws IOException, InterruptedException {
        if (!"127.0.0.1".equals(url.getHost())) {
            throw new IllegalArgumentException("the benchmark drives loopback only: " + url);
        }
        int threads = Math.min(2, connections);
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--timeout", timeout.toSeconds() + "s", "-s", script.toString(), url.toString()));
        if (body.isPost()) {
            command.add("--");
            command.addAll(body.scriptArgs());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out;
        try {
            out = p.getInputStream().readAllBytes();
        } finally {
            if (!p.waitFor(duration.toSeconds() + timeout.toSeconds() + 30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("wrk did not finish: " + command);
            }
        }
        String raw = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("wrk exited with " + p.exitValue() + ": " + command + "\n" + raw);
        }
        Map<String, String> fields = new HashMap<>();
        for (String line : raw.split("\n")) {
            if (line.startsWith("WRK_RESULT ")) {
                for (String kv : line.substring("WRK_RESULT ".length()).strip().split(" ")) {
                    int eq = kv.indexOf('=');
                    fields.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        if (fields.isEmpty()) {
            throw new IOException("wrk printed no WRK_RESULT line: " + command + "\n" + raw);
        }
        long errors = 0;
        for (String k : List.of("connect", "read", "write", "status", "timeout")) {
            errors += Long.parseLong(fields.get(k));
        }
        long requests = Long.parseLong(fields.get("requests"));
        if (requests == 0) { // no latency to speak of: n/a rather than wrk's zeros
            return new Result(0, Long.parseLong(fields.get("duration_us")) / 1e6, errors, -1, -1, -1, -1, Double.NaN, raw);
        }
        return new Result(requests,
                Long.parseLong(fields.get("duration_us")) / 1e6,
                errors,
                Long.parseLong(fields.get("p50_us")),
                Long.parseLong(fields.get("p90_us")),
                Long.parseLong(fields.get("p99_us")),
                Long.parseLong(fields.get("max_us")),
                Double.parseDouble(fields.get("mean_us")),
                raw);
    }

    /** wrk's version line, e.g. "wrk 4.1.0 [epoll] ...". */
    static String version() {
        try {
            Process p = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            String first = out.strip().split("\n")[0];
            return first.isEmpty() ? "unknown" : first;
        } catch (IOException e) {
            return "not found";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
