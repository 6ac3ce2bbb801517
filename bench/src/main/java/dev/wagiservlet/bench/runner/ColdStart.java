package dev.wagiservlet.bench.runner;

import dev.wagiservlet.it.support.ServletContainer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cold start of a big module, two ways:
 *
 * <ul>
 *   <li><b>startup</b>: a fresh Tomcat whose WAR routes {@code /esbuild} to the big module (through
 *       WAGI_MODULES_TOML, beside the WAR's own small routes). From the moment the server is
 *       launched, {@code /hello} is requested every 10 ms and {@code /esbuild} every 100 ms until it
 *       answers 200: when does each first answer, and how does /hello fare meanwhile?</li>
 *   <li><b>hotdeploy</b>: into the running benchmark Tomcat, a second webapp {@code /cold} (the
 *       WAR's contents, web.xml routing {@code /esbuild} to the big module) is dropped into
 *       webapps/; Tomcat's auto-deployer picks it up (it looks every 10 s). The root webapp's
 *       {@code /hello} is probed before and while the big module compiles.</li>
 * </ul>
 */
final class ColdStart {

    /** esbuild with no arguments transforms stdin to stdout. The template literal makes its output a CGI response. */
    static final byte[] ESBUILD_INPUT = "`\nContent-Type: text/plain\n\nHello from esbuild`\n".getBytes(StandardCharsets.UTF_8);
    static final String ESBUILD_EXPECTED = "Hello from esbuild";

    private static final Duration HELLO_PACE = Duration.ofMillis(10);
    private static final Duration BIG_PACE = Duration.ofMillis(100);
    private static final Duration BIG_TIMEOUT = Duration.ofMinutes(4);

    /**
     * What one cold-start case saw. Times are seconds from {@code t0} (server launch, or the drop of
     * the webapp into webapps/).
     */
    record Result(
            String name,
            String engine,
            String codeCache,
            String t0Meaning,
            long bigModuleBytes,
            long helloFirst200Nanos,
            long bigFirst200Nanos,
            long bigFirstRequestNanos,
            long deployStartNanos,
            long deployEndNanos,
            long tomcatStartupMillis,
            long tomcatDeployMillis,
            long bigCompileMillis,
            String compileLogLine,
            List<Window> windows,
            CpuShare cpu,
            long peakRssBytes,
            String bigBody,
            String note) {
    }

    /**
     * /hello as seen by the probe in a time window.
     *
     * @param answered 200 responses
     * @param failed requests without a 200 (refused, reset, other status)
     * @param p50Micros median latency of the answered ones
     */
    record Window(String label, long fromNanos, long toNanos, int answered, int failed, long p50Micros,
                  long p99Micros, long maxMicros) {

        static Window of(String label, List<Probe.Sample> samples, long t0, long from, long to) {
            List<Long> micros = new ArrayList<>();
            int failed = 0;
            for (Probe.Sample s : samples) {
                // requests sent in the window
                if (s.sentNanos() >= from && s.sentNanos() < to) {
                    if (s.ok()) {
                        micros.add(s.nanos() / 1000);
                    } else {
                        failed++;
                    }
                }
            }
            return new Window(label, from - t0, to - t0, micros.size(), failed, Stats.percentile(micros, 50),
                    Stats.percentile(micros, 99), Stats.max(micros));
        }
    }

    private ColdStart() {}

    /** The {@code background-compile-size} of the case "startup-background": the big module compiles in the background. */
    static final String BACKGROUND_COMPILE_SIZE = "1MiB";

    /** What the cold-start cases say of their code cache. */
    static final String EMPTY_CACHE = "cold: code_cache_dir new and empty";

    /**
     * Case "startup" (Chicory) or "startup-wasmtime": a fresh Tomcat whose WAR also routes /esbuild to the
     * big module on {@code engine}; or, with {@code background}, case "startup-background": the same with
     * {@code background-compile-size} set, so the big module compiles while the webapp serves. The filter's
     * code cache (Chicory's bytecode, wasmtime's in its wasmtime/ folder) is a new empty folder: a real cold start.
     */
    static Result startup(BenchSettings settings, int port, Path rawDir, boolean background, String engine)
            throws IOException, InterruptedException {
        long bigBytes = Files.size(settings.bigModule());
        String name = caseName(background, engine);
        Path toml = Servers.writeToml(settings.workDir().resolve(name + "/modules.toml"), Servers.startupRoutes(settings, engine));
        ServletContainer server = Servers.bigModuleServer(settings, toml, port, settings.workDir().resolve(name + "/code-cache"));
        if (background) {
            server.env("WAGI_BACKGROUND_COMPILE_SIZE", BACKGROUND_COMPILE_SIZE);
        }
        long t0 = System.nanoTime();
        CpuShare.Mark cpuBefore = CpuShare.Mark.now(null);
        try (Probe hello = new Probe("hello", uri(port, "/hello"), null, HELLO_PACE, false);
             Probe big = new Probe("esbuild", uri(port, "/esbuild"), ESBUILD_INPUT, BIG_PACE, true);
             RssSampler rss = new RssSampler(() -> Servers.tomcatOf(server))) {
            try {
                server.start();
                Probe.Sample bigFirst = big.awaitFirst200(BIG_TIMEOUT);
                CpuShare cpu = CpuShare.since(cpuBefore, Servers.tomcatOf(server).orElse(null));
                Thread.sleep(500); // a few more /hello answers after the big module is up
                List<Probe.Sample> helloSamples = hello.samples();
                Probe.Sample helloFirst = hello.first200();
                ConsoleLog log = new ConsoleLog(server.baseDirectory());
                String startupLine = log.lineAfter(0, "Server startup in");
                String compileLine = log.lineAfter(0, settings.bigModule().getFileName().toString(), " ms");
                long bigEnd = bigFirst == null ? System.nanoTime() : bigFirst.endNanos();
                return new Result(name, engine, EMPTY_CACHE,
                        "Tomcat launch (JVM start, WAR deploy, filter init, connector start)",
                        bigBytes,
                        helloFirst == null ? -1 : helloFirst.endNanos() - t0,
                        bigFirst == null ? -1 : bigFirst.endNanos() - t0,
                        bigFirst == null ? -1 : bigFirst.nanos(),
                        -1, -1,
                        ConsoleLog.millisIn(startupLine),
                        -1,
                        ConsoleLog.millisIn(compileLine),
                        compileLine,
                        helloFirst == null
                                ? List.of(Window.of("launch to /esbuild's first 200", helloSamples, t0, t0, bigEnd))
                                : List.of(Window.of("launch to /esbuild's first 200", helloSamples, t0, t0, bigEnd),
                                        Window.of("/hello's first 200 to /esbuild's first 200", helloSamples, t0,
                                                helloFirst.endNanos(), bigEnd)),
                        cpu,
                        rss.peak(),
                        bigFirst == null ? lastBody(big) : bigFirst.body(),
                        bigFirst == null ? "/esbuild never answered 200 within " + BIG_TIMEOUT.toMinutes() + " min" : "");
            } finally {
                server.close();
                Path console = server.baseDirectory() == null ? null : server.baseDirectory().resolve("console.log");
                if (console != null && Files.exists(console)) {
                    LogSummary.gzip(console, rawDir.resolve("tomcat-" + name + "-console.log.gz"));
                }
            }
        }
    }

    /** Case "hotdeploy": drops a /cold webapp with the big module into the running server. */
    static Result hotDeploy(BenchSettings settings, ServletContainer server, Path coldWebapp, int port)
            throws IOException, InterruptedException {
        long bigBytes = Files.size(settings.bigModule());
        Path base = server.baseDirectory();
        Path staging = base.resolve("cold-staging");
        ServletContainer.copyTree(coldWebapp, staging, StandardCopyOption.COPY_ATTRIBUTES);
        ConsoleLog log = new ConsoleLog(base);
        int mark = log.mark();
        String deployedName = base.resolve("webapps").resolve("cold").toString();
        try (Probe hello = new Probe("hello", uri(port, "/hello"), null, HELLO_PACE, false);
             RssSampler rss = new RssSampler(() -> Servers.tomcatOf(server))) {
            long probeStart = System.nanoTime();
            Thread.sleep(3000); // /hello before anything happens
            long t0 = System.nanoTime();
            ProcessHandle tomcat = Servers.tomcatOf(server).orElse(null);
            CpuShare.Mark cpuBefore = CpuShare.Mark.now(tomcat);
            Files.move(staging, base.resolve("webapps").resolve("cold")); // one rename: never seen half-copied
            long deployStart = -1;
            long deployEnd = -1;
            Probe.Sample bigFirst;
            CpuShare cpu;
            try (Probe big = new Probe("esbuild", uri(port, "/cold/esbuild"), ESBUILD_INPUT, Duration.ofMillis(200), true)) {
                long deadline = System.nanoTime() + BIG_TIMEOUT.toNanos() + Duration.ofSeconds(15).toNanos();
                while (big.first200() == null && System.nanoTime() - deadline < 0) {
                    if (deployStart < 0 && log.lineAfter(mark, "Deploying web application directory", deployedName) != null) {
                        deployStart = System.nanoTime();
                    }
                    if (deployEnd < 0 && log.lineAfter(mark, "Deployment of web application directory", deployedName) != null) {
                        deployEnd = System.nanoTime();
                    }
                    Thread.sleep(50);
                }
                bigFirst = big.first200();
                cpu = CpuShare.since(cpuBefore, tomcat);
                if (bigFirst == null) {
                    return failed("hotdeploy", bigBytes, lastBody(big), "/cold/esbuild never answered 200");
                }
            }
            if (deployEnd < 0 && log.lineAfter(mark, "Deployment of web application directory", deployedName) != null) {
                deployEnd = bigFirst.sentNanos(); // seen only after the answer: no later than this
            }
            Thread.sleep(500);
            List<Probe.Sample> samples = hello.samples();
            long from = deployStart > 0 ? deployStart : t0;
            String deployLine = log.lineAfter(mark, "Deployment of web application directory", deployedName);
            String compileLine = log.lineAfter(mark, settings.bigModule().getFileName().toString(), " ms");
            return new Result("hotdeploy", HttpCases.CHICORY, "cold: a new webapp, its temp dir (the default code_cache_dir) empty",
                    "the /cold webapp directory appearing in webapps/ (Tomcat looks every 10 s)",
                    bigBytes,
                    -1,
                    bigFirst.endNanos() - t0,
                    bigFirst.nanos(),
                    deployStart < 0 ? -1 : deployStart - t0,
                    deployEnd < 0 ? -1 : deployEnd - t0,
                    -1,
                    ConsoleLog.millisIn(deployLine),
                    ConsoleLog.millisIn(compileLine),
                    compileLine,
                    List.of(Window.of("3 s before the drop", samples, t0, probeStart, t0),
                            Window.of("deploy start to /cold/esbuild's first 200", samples, t0, from, bigFirst.endNanos())),
                    cpu,
                    rss.peak(),
                    bigFirst.body(),
                    "");
        }
    }

    private static Result failed(String name, long bytes, String body, String note) {
        return new Result(name, HttpCases.CHICORY, "", "", bytes, -1, -1, -1, -1, -1, -1, -1, -1, null, List.of(), CpuShare.UNKNOWN, 0, body, note);
    }

    /** startup, startup-background or startup-wasmtime. */
    static String caseName(boolean background, String engine) {
        return "startup" + (background ? "-background" : "") + (engine.equals(HttpCases.CHICORY) ? "" : "-" + engine);
    }

    private static String lastBody(Probe probe) {
        List<Probe.Sample> s = probe.samples();
        return s.isEmpty() ? "(no request completed)" : "status " + s.get(s.size() - 1).status() + ": " + s.get(s.size() - 1).body();
    }

    static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
