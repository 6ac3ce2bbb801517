package dev.wagiservlet.bench.runner;

import dev.wagiservlet.it.support.ServerJmx;
import dev.wagiservlet.it.support.ServletContainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The benchmark, as run by {@code bench/run.sh} (which installs the tools, builds with
 * {@code mvn -Pbench package}, fetches the big module and passes the settings as system
 * properties; see {@link BenchSettings}).
 *
 * <ol>
 *   <li><b>startup</b>: cold start of a ~20 MB module at server start, on wasmtime and on Chicory, compiled in
 *       the filter's init and, in a third server, on Chicory in the background ({@link ColdStart#startup}).</li>
 *   <li><b>http</b>: one Tomcat with the WAR at / (routes on Chicory and, under /wt, on wasmtime), the same
 *       filter with {@code module-stack-size = 0} at /nohop, a plain servlet at /plain and CGIServlet at /cgi;
 *       wrk against each ({@link HttpCases}); then the esbuild transform on each engine, a Tomcat each
 *       ({@link EsbuildCases}).</li>
 *   <li><b>hotdeploy</b>: cold start of the same module in a webapp dropped into that running Tomcat
 *       ({@link ColdStart#hotDeploy}).</li>
 *   <li><b>jmh</b>: the JMH microbenchmarks of bench/jmh in a child JVM ({@link Jmh}).</li>
 * </ol>
 *
 * Writes report.md, chart.png, jmh.* and raw/ into the results folder and prints the table.
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        BenchSettings s = BenchSettings.fromSystemProperties();
        Report.Data d = new Report.Data();
        d.settings = s;
        d.command = System.getProperty("bench.command", "bench/run.sh");
        d.started = ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT));
        long start = System.nanoTime();

        Path results = Files.createDirectories(s.resultsDir());
        Path raw = Files.createDirectories(results.resolve("raw"));
        Servers.deleteTree(s.workDir());
        Files.createDirectories(s.workDir());
        d.environment = Environment.collect(s);
        d.environment.put("wrk settings", "-t2 (-t1 at 1 connection), " + s.duration().toSeconds() + " s per case, --timeout 10s, keep-alive, "
                + "127.0.0.1; esbuild: at 1 and 4 connections, on wasmtime wrk " + s.duration().toSeconds() + " s per case (--timeout 30s), on Chicory "
                + s.esbuildChicoryRequests() + " requests per connection (Java's HttpClient, one thread per connection, timeout 120 s, "
                + HttpCases.FIXED_WARMUP_REQUESTS + " warm-up requests); the esbuild route's timeout " + EsbuildCases.ROUTE_TIMEOUT);
        d.environment.put("Modules", "hello.wasm " + size(s.modulesDir().resolve("hello.wasm")) + ", echo.wasm "
                + size(s.modulesDir().resolve("echo.wasm")) + ", rust-1m.wasm " + size(s.benchDir().resolve("wasm/rust-1m.wasm"))
                + ", Go example (examples/go/hello.wasm) " + size(Servers.goModule(s))
                + (s.bigModule() == null ? "" : ", " + s.bigModule().getFileName() + " " + size(s.bigModule())));
        d.environment.put("Big-module servers", "JAVA_OPTS " + (s.bigServerJavaOptsAll().isBlank() ? "(defaults)" : s.bigServerJavaOptsAll())
                + "; code_cache_dir a new empty folder per server (cold)");
        System.out.println("[bench] results go to " + results);
        d.environment.forEach((k, v) -> System.out.println("[bench] " + k + ": " + v));

        Path mainToml = Servers.writeToml(s.workDir().resolve("main/modules.toml"), Servers.mainRoutes(s));
        boolean cold = s.runs("startup") || s.runs("hotdeploy");
        if (cold && s.bigModule() == null) {
            d.problems.add("no big module (system property bench.big.module): the cold-start cases were skipped");
        }

        if (s.runs("startup") && s.bigModule() != null) {
            long t = System.nanoTime();
            if (s.esbuildEngines().contains(HttpCases.WASMTIME)) {
                d.startupWasmtime = startupCase(d, s, raw, false, HttpCases.WASMTIME);
            }
            if (s.esbuildEngines().contains(HttpCases.CHICORY)) {
                d.startup = startupCase(d, s, raw, false, HttpCases.CHICORY);
                d.startupBackground = startupCase(d, s, raw, true, HttpCases.CHICORY);
            }
            d.phaseTimes.add("startup " + Stats.seconds(System.nanoTime() - t) + " s");
        }

        if (s.runs("http") || (s.runs("hotdeploy") && s.bigModule() != null)) {
            long t = System.nanoTime();
            int port = Servers.freePort();
            ServletContainer server = Servers.sideBySide(s, mainToml, Servers.plainWebapp(s), Servers.cgiWebapp(s),
                    s.hop() ? Servers.nohopWebapp(s) : null, port);
            try {
                System.out.println("[http] starting Tomcat with the WAR at /, the plain servlet at /plain, CGIServlet at /cgi"
                        + (s.hop() ? ", the module-stack-size 0 webapp at " + Servers.NOHOP_CONTEXT : "") + " ...");
                try (Probe hello = new Probe("hello", ColdStart.uri(port, "/hello"), null, Duration.ofMillis(10), true)) {
                    long launched = System.nanoTime();
                    server.start();
                    Probe.Sample first = hello.awaitFirst200(Duration.ofSeconds(60));
                    d.mainServerHelloFirst200Nanos = first == null ? -1 : first.endNanos() - launched;
                }
                System.out.println("[http] Tomcat on 127.0.0.1:" + port + "; /hello answered "
                        + Stats.seconds(d.mainServerHelloFirst200Nanos) + " s after launch");
                Servers.fixCgiPermissions(server);
                ProcessHandle tomcat = Servers.tomcatOf(server)
                        .orElseThrow(() -> new IllegalStateException("cannot find the Tomcat process"));
                if (s.runs("http")) {
                    try (ServerJmx jmx = server.jmx()) {
                        d.http = HttpCases.run(HttpCases.mainTargets(s), port, tomcat, () -> GcPauses.of(jmx),
                                new Wrk(s.benchDir().resolve("wrk/bench.lua")), raw);
                    }
                    d.phaseTimes.add("http " + Stats.seconds(System.nanoTime() - t) + " s");
                }
                if (s.runs("hotdeploy") && s.bigModule() != null) {
                    long th = System.nanoTime();
                    System.out.println("[hotdeploy] dropping /cold (" + s.bigModule().getFileName() + " at /cold/esbuild) into webapps/ ...");
                    try {
                        Quiet.await(tomcat, "the hotdeploy case");
                        d.hotDeploy = ColdStart.hotDeploy(s, server, Servers.coldWebapp(s), port);
                        System.out.println("[hotdeploy] " + summary(d.hotDeploy));
                    } catch (Exception e) {
                        problem(d, "hotdeploy", e);
                    }
                    d.phaseTimes.add("hotdeploy " + Stats.seconds(System.nanoTime() - th) + " s");
                }
            } catch (Exception e) {
                problem(d, "http", e);
            } finally {
                server.close();
                Path console = server.baseDirectory() == null ? null : server.baseDirectory().resolve("console.log");
                if (console != null && Files.exists(console)) {
                    try {
                        d.serverLog = LogSummary.summarize(console);
                        LogSummary.gzip(console, raw.resolve("tomcat-console.log.gz"));
                    } catch (IOException e) {
                        problem(d, "server log", e);
                    }
                }
            }
        }

        if (s.runs("http") && s.bigModule() != null) {
            long t = System.nanoTime();
            for (String engine : s.esbuildEngines()) {
                System.out.println("[http] esbuild transform on " + engine + ": a Tomcat of its own, compiling " + s.bigModule().getFileName()
                        + " at start ...");
                try {
                    Quiet.await(null, "the esbuild server on " + engine);
                    HttpCases.Outcome o = EsbuildCases.run(s, engine, new Wrk(s.benchDir().resolve("wrk/bench.lua")), raw);
                    d.http = d.http == null ? o : d.http.plus(o);
                } catch (Exception e) {
                    problem(d, "http esbuild on " + engine, e);
                }
            }
            d.phaseTimes.add("http esbuild " + Stats.seconds(System.nanoTime() - t) + " s");
        } else if (s.runs("http")) {
            d.problems.add("no big module (system property bench.big.module): the esbuild transform cases were skipped");
        }
        if (d.http != null) {
            for (HttpCases.Check c : d.http.checks()) {
                if (!c.ok()) {
                    d.problems.add("check failed for " + c.target().label() + ": " + c.detail()
                            + (c.target().server().equals(HttpCases.NOHOP) ? " (the " + Servers.NOHOP_CONTEXT + " webapp sets module-stack-size "
                            + "0, which a WAR without that setting refuses: see raw/tomcat-console.log.gz; BENCH_HOP=0 leaves it out)" : ""));
                }
            }
        }

        if (s.runs("jmh")) {
            long t = System.nanoTime();
            try {
                Quiet.await(null, "JMH");
                CpuShare.Mark mark = CpuShare.Mark.now(null);
                d.jmh = Jmh.run(s, results);
                d.jmhCpu = CpuShare.since(mark, null);
            } catch (Exception e) {
                problem(d, "jmh", e);
            }
            d.phaseTimes.add("jmh " + Stats.seconds(System.nanoTime() - t) + " s");
        }

        if (d.http != null && !d.http.cases().isEmpty()) {
            try {
                Chart.write(results.resolve("chart.png"), d.http.cases(), s.connections(),
                        "wagi-servlet: requests/s against connections (Tomcat 11, wrk over loopback, 2 cores shared with wrk)",
                        d.started + "   " + d.environment.get("CPU") + "   " + d.environment.get("git"));
                d.chart = true;
            } catch (Exception | Error e) {
                problem(d, "chart", e);
            }
        }

        d.totalNanos = System.nanoTime() - start;
        Files.writeString(results.resolve("report.md"), Report.markdown(d));
        try {
            ResultsJson.write(results.resolve("results.json"), d);
        } catch (IOException | RuntimeException e) {
            System.out.println("[bench] could not write results.json: " + e);
        }
        System.out.println();
        System.out.print(Report.consoleSummary(d));
        System.out.println();
        System.out.println("[bench] report: " + results.resolve("report.md"));
        if (d.chart) {
            System.out.println("[bench] chart:  " + results.resolve("chart.png"));
        }
        System.out.println("[bench] took " + Stats.seconds(d.totalNanos) + " s");
        for (String p : d.problems) {
            System.out.println("[bench] PROBLEM: " + p);
        }
        System.exit(d.problems.isEmpty() ? 0 : 1);
    }

    /** One startup case; a failure is a problem of the run, not the end of it. */
    private static ColdStart.Result startupCase(Report.Data d, BenchSettings s, Path raw, boolean background, String engine) {
        String name = ColdStart.caseName(background, engine);
        System.out.println("[startup] " + name + ": fresh Tomcat with " + s.bigModule().getFileName() + " routed at /esbuild on " + engine
                + (background ? ", background-compile-size " + ColdStart.BACKGROUND_COMPILE_SIZE : "") + ", empty code cache ...");
        try {
            Quiet.await(null, "the " + name + " case");
            ColdStart.Result r = ColdStart.startup(s, Servers.freePort(), raw, background, engine);
            System.out.println("[startup] " + summary(r));
            return r;
        } catch (Exception e) {
            problem(d, name, e);
            return null;
        }
    }

    private static String summary(ColdStart.Result r) {
        if (!r.note().isEmpty()) {
            return r.note() + " (" + r.bigBody() + ")";
        }
        return "/esbuild first 200 after " + Stats.seconds(r.bigFirst200Nanos()) + " s"
                + (r.helloFirst200Nanos() >= 0 ? ", /hello first 200 after " + Stats.seconds(r.helloFirst200Nanos()) + " s" : "")
                + ", compile " + r.bigCompileMillis() + " ms, peak RSS " + Stats.mib(r.peakRssBytes()) + " MiB";
    }

    private static void problem(Report.Data d, String phase, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        System.out.println("[" + phase + "] FAILED: " + trace);
        String message = String.valueOf(e.getMessage());
        int cut = message.indexOf('\n');
        d.problems.add(phase + ": " + e.getClass().getSimpleName() + ": " + (cut > 0 ? message.substring(0, cut) : message));
    }

    private static String size(Path file) {
        try {
            return String.format(Locale.ROOT, "%,d B", Files.size(file));
        } catch (IOException e) {
            return "missing";
        }
    }
}
