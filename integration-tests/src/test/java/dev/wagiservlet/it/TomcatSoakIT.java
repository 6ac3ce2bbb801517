package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.it.support.ServerJmx;
import dev.wagiservlet.it.support.ServletContainer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak: at least 200,000 requests through the drop-in WAR in a real Tomcat, from 8 concurrent
 * clients, mostly {@code /hello}, a share of {@code /echo} with a small POST body, and a few that
 * take the error paths (a trap, a non-zero exit, a bad CGI status, a timeout, an unrouted path).
 * Every answer is checked. Heap after full GC and the thread count of the server JVM, read over
 * JMX, must stay flat from the end of the warm-up to the end.
 *
 * <p>The numbers are printed to stdout (lines starting with {@code [soak]}). Run it alone with
 * {@code mvn verify -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=TomcatSoakIT};
 * sizes can be changed with {@code -Dwagi.soak.requests=N} and {@code -Dwagi.soak.warmup=N} (e.g. for
 * a longer run by hand). On 2 cores it takes about 1–1.5 minutes; the request phase is capped at
 * 6 minutes, and a run that does not reach the requested count in time fails.
 */
class TomcatSoakIT {

    private static final long TOTAL = Long.getLong("wagi.soak.requests", 200_000);
    private static final long WARMUP = Long.getLong("wagi.soak.warmup", 20_000);
    private static final int WORKERS = 8;
    private static final int CHECKPOINTS = 4; // heap/thread readings after the warm-up
    private static final Duration HARD_CAP = Duration.ofMinutes(6);

    /** Heap after GC may grow at most this much from the end of the warm-up to the end. */
    private static final long MAX_HEAP_GROWTH = 32L << 20;
    /** Threads (other than the JVM's and JMX's own, which come and go) may grow at most by this many. */
    private static final int MAX_THREAD_GROWTH = 2;
    /** Requests that may be sent a second time because their connection closed without an answer. */
    private static final int MAX_RETRIED = 10;

    private static final String HELLO = "Hello, world!\n";

    /** What a request asks for, and what it must get. */
    private enum Kind {
        HELLO("/wagi/hello", 200),
        ECHO("/wagi/echo", 200),
        TRAP("/wagi/trap", 500),
        EXIT1("/wagi/exit1", 500),
        BAD_STATUS("/wagi/bad-status", 502),
        TIMEOUT("/wagi/loop", 504),
        UNROUTED("/wagi/no-such-route", 404);

        final String path;
        final int status;

        Kind(String path, int status) {
            this.path = path;
            this.status = status;
        }

        /** The mix: 0.1 % timeouts, 1 % each of the other error paths, about 20 % echo, the rest hello. */
        static Kind of(long i) {
            if (i % 1000 == 999) {
                return TIMEOUT;
            }
            switch ((int) (i % 100)) {
                case 7: return TRAP;
                case 37: return EXIT1;
                case 67: return BAD_STATUS;
                case 97: return UNROUTED;
                default: return i % 5 == 1 ? ECHO : HELLO;
            }
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final AtomicLong next = new AtomicLong();
    private final LongAdder done = new LongAdder();
    private final Map<Kind, LongAdder> byKind = new EnumMap<>(Kind.class);
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final LongAdder failureCount = new LongAdder();
    private final Queue<String> retried = new ConcurrentLinkedQueue<>();

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void heapAndThreadsStayFlatOver200000Requests(@TempDir Path work) throws Exception {
        for (Kind kind : Kind.values()) {
            byKind.put(kind, new LongAdder());
        }
        Path modules = work.resolve("modules");
        TestWebapps.copyModules(modules, "trap", "exit1", "bad-status", "loop");
        Files.writeString(modules.resolve("modules.toml"), """
                [[module]]
                route = "/trap"
                module = "wasm/trap.wasm"

                [[module]]
                route = "/exit1"
                module = "wasm/exit1.wasm"

                [[module]]
                route = "/bad-status"
                module = "wasm/bad-status.wasm"

                [[module]]
                route = "/loop"
                module = "wasm/loop.wasm"
                timeout = "100ms"
                """);

        long startedAt = System.nanoTime();
        try (ServletContainer tomcat = ServletContainer.tomcat()
                .enableJmx()
                .jvmOption("-Xmx512m") // a leak shows up sooner, and as an OutOfMemoryError at worst
                .deploy("/wagi", TestWebapps.war())
                .env("WAGI_MODULES_TOML", modules.resolve("modules.toml").toString())
                .start();
             ServerJmx jmx = tomcat.jmx()) {
            System.out.printf("[soak] tomcat up in %d ms%n", millisSince(startedAt));
            ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
                Thread t = new Thread(r, "soak-worker");
                t.setDaemon(true);
                return t;
            });
            try {
                long deadline = System.nanoTime() + HARD_CAP.toNanos();
                long t0 = System.nanoTime();
                run(workers, tomcat, WARMUP, deadline);
                long warmupMillis = millisSince(t0);
                System.out.printf("[soak] warm-up: %d requests in %d ms (%.0f req/s)%n", done.sum(), warmupMillis,
                        done.sum() * 1000.0 / Math.max(1, warmupMillis));

                List<Reading> readings = new ArrayList<>();
                readings.add(Reading.take(jmx, done.sum(), millisSince(t0)));
                System.out.println("[soak] " + readings.get(0));

                long t1 = System.nanoTime();
                for (int c = 1; c <= CHECKPOINTS; c++) {
                    run(workers, tomcat, WARMUP + (TOTAL - WARMUP) * c / CHECKPOINTS, deadline);
                    readings.add(Reading.take(jmx, done.sum(), millisSince(t0)));
                    System.out.println("[soak] " + readings.get(readings.size() - 1));
                }
                long mainMillis = millisSince(t1);
                long totalMillis = millisSince(t0);
                long requests = done.sum();
                System.out.printf("[soak] %d requests in %d ms (%.0f req/s; after the warm-up %.0f req/s, GC pauses for"
                        + " the readings included) with %d workers%n", requests, totalMillis, requests * 1000.0 / totalMillis,
                        (requests - WARMUP) * 1000.0 / mainMillis, WORKERS);
                StringBuilder mix = new StringBuilder("[soak] mix:");
                byKind.forEach((kind, n) -> mix.append(' ').append(kind.path).append('=').append(n.sum()));
                System.out.println(mix);
                System.out.printf("[soak] requests sent twice after a connection failed without an answer: %d %s%n",
                        retried.size(), retried);

                assertEquals(0, failureCount.sum(), () -> failureCount.sum() + " of " + requests
                        + " answers were not as expected; the first ones:\n" + String.join("\n", failures) + "\n" + tomcat.logTail());
                assertTrue(requests >= TOTAL, () -> "only " + requests + " requests within the hard cap of "
                        + HARD_CAP.toMinutes() + " min");
                assertTrue(retried.size() <= MAX_RETRIED, () -> retried.size() + " requests failed without an answer: " + retried);

                Reading first = readings.get(0);
                Reading last = readings.get(readings.size() - 1);
                long heapGrowth = last.heapUsed - first.heapUsed;
                int threadGrowth = last.steadyThreads - first.steadyThreads;
                System.out.printf("[soak] heap after GC: %.1f MiB -> %.1f MiB (%+.1f MiB, %+.1f %%); threads: %d -> %d"
                        + " (without JVM compiler/RMI/JMX threads: %d -> %d); wagi threads %s -> %s; loaded classes %d -> %d%n",
                        mib(first.heapUsed), mib(last.heapUsed), mib(heapGrowth), 100.0 * heapGrowth / first.heapUsed,
                        first.threads, last.threads, first.steadyThreads, last.steadyThreads, first.wagiThreads,
                        last.wagiThreads, first.loadedClasses, last.loadedClasses);
                assertTrue(heapGrowth < MAX_HEAP_GROWTH, () -> String.format("heap after GC grew by %.1f MiB (limit %.0f MiB): %s",
                        mib(heapGrowth), mib(MAX_HEAP_GROWTH), readings));
                assertTrue(threadGrowth <= MAX_THREAD_GROWTH, () -> "threads grew by " + threadGrowth + ": " + first.threadNames
                        + " -> " + last.threadNames);
                assertEquals(first.wagiThreads, last.wagiThreads, "the filter's own threads");
                assertTrue(last.loadedClasses - first.loadedClasses < 1000, () -> "classes keep being loaded: " + readings);
            } finally {
                workers.shutdownNow();
                workers.awaitTermination(30, TimeUnit.SECONDS);
            }
            List<String> warnings = TomcatManagement.leakWarnings(tomcat.log());
            assertTrue(warnings.isEmpty(), () -> "Tomcat warns of leaks:\n" + String.join("\n", warnings));
        }
        System.out.printf("[soak] whole test (start, soak, stop) in %d ms%n", millisSince(startedAt));
    }

    /** Sends requests number next..until-1 from all workers; returns when they are done or the deadline passed. */
    private void run(ExecutorService workers, ServletContainer tomcat, long until, long deadline) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            running.add(workers.submit(() -> {
                long i;
                while (System.nanoTime() - deadline < 0 && (i = next.getAndIncrement()) < until) {
                    request(tomcat, i);
                }
                next.updateAndGet(n -> Math.min(n, until)); // the one taken past the end is not lost
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get(HARD_CAP.toMillis() + 60_000, TimeUnit.MILLISECONDS);
        }
    }

    private void request(ServletContainer tomcat, long i) {
        Kind kind = Kind.of(i);
        URI uri = tomcat.uri(kind.path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        String body = null;
        if (kind == Kind.ECHO) {
            body = "soak request " + i + " " + "x".repeat((int) (i % 200));
            request.header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // A pooled keep-alive connection that the server closed just as the request went out
                // fails without any answer; the JDK client retries such GETs by itself, never POSTs.
                // Once more on a fresh attempt, counted: a server that drops connections still fails below.
                retried.add(i + " " + kind.path + ": " + e);
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
            String expected = switch (kind) {
                case HELLO -> HELLO;
                case ECHO -> body;
                case TRAP, EXIT1 -> "Internal Server Error";
                case TIMEOUT -> "Gateway Timeout";
                default -> null; // status only
            };
            if (response.statusCode() != kind.status || (expected != null && !expected.equals(response.body()))) {
                fail(i + " " + kind.path + ": " + response.statusCode() + " " + abbreviate(response.body()));
            }
        } catch (Exception e) {
            fail(i + " " + kind.path + ": " + e);
        } finally {
            byKind.get(kind).increment();
            done.increment();
        }
    }

    private void fail(String what) {
        failureCount.increment();
        if (failures.size() < 20) {
            failures.add(what);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** The server JVM at one moment, after full GCs. */
    private record Reading(long requests, long atMillis, long heapUsed, int threads, int steadyThreads, List<String> wagiThreads,
                           List<String> threadNames, long loadedClasses) {

        static Reading take(ServerJmx jmx, long requests, long atMillis) {
            long heap = jmx.heapUsedAfterGc();
            List<String> names = jmx.threadNames();
            List<String> steady = names.stream().filter(n -> !isJvmOrJmxThread(n)).toList();
            List<String> wagi = names.stream().filter(n -> n.startsWith("wagi-")).toList();
            return new Reading(requests, atMillis, heap, names.size(), steady.size(), wagi, steady,
                    jmx.classLoading().getLoadedClassCount());
        }

        /** Threads that come and go on their own: JIT compiler threads, and the RMI/JMX threads of our connection. */
        private static boolean isJvmOrJmxThread(String name) {
            return name.startsWith("C1 CompilerThread") || name.startsWith("C2 CompilerThread") || name.startsWith("RMI ")
                    || name.startsWith("JMX ") || name.equals("Attach Listener");
        }

        @Override
        public String toString() {
            return String.format("after %,d requests (%d ms): heap after GC %.1f MiB, %d threads (%d steady), loaded classes %d",
                    requests, atMillis, mib(heapUsed), threads, steadyThreads, loadedClasses);
        }
    }
}
