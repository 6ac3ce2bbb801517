package dev.wagiservlet.bench.runner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the measurements into report.md and the console table. */
final class Report {

    /** Everything one run produced; phases that did not run leave their parts empty. */
    static final class Data {
        String command;
        String started;
        long totalNanos;
        Map<String, String> environment;
        BenchSettings settings;
        List<String> phaseTimes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        HttpCases.Outcome http;
        long mainServerHelloFirst200Nanos = -1;
        ColdStart.Result startupWasmtime;
        ColdStart.Result startup;
        ColdStart.Result startupBackground;
        ColdStart.Result hotDeploy;
        List<Jmh.Row> jmh;
        CpuShare jmhCpu = CpuShare.UNKNOWN;
        List<LogSummary.Entry> serverLog;
        boolean chart;
    }

    private Report() {}

    /** The main table as fixed-width text. */
    static String consoleTable(Data d) {
        StringBuilder sb = new StringBuilder();
        if (d.http == null || d.http.cases().isEmpty()) {
            return "";
        }
        sb.append(String.format(Locale.ROOT, "%-9s %-10s %-8s %5s %10s %8s %9s %9s %7s %14s %10s %8s%n",
                "workload", "server", "engine", "conns", "req/s", "p50 ms", "p99 ms", "vs plain", "errors", "CPU srv/wrk/oth", "GC n/ms", "RSS MiB"));
        for (HttpCases.CaseResult c : d.http.cases()) {
            sb.append(String.format(Locale.ROOT, "%-9s %-10s %-8s %5d %10s %8s %9s %9s %7d %14s %10s %8s%n",
                    c.target().workload(), c.target().server(), c.target().engine(), c.connections(), rate(c),
                    Stats.ms(c.wrk().p50Micros()), Stats.ms(c.wrk().p99Micros()), Stats.ratio(ratio(d, c)),
                    c.wrk().errors(), c.cpu().format() + " %", c.gc().format(), Stats.mib(c.peakRssBytes())));
        }
        if (d.http.cases().stream().anyMatch(c -> Quiet.disturbed(c.cpu()))) {
            sb.append("* other processes used more than ").append((int) Quiet.OTHER_LIMIT_PERCENT)
                    .append(" % of a core during the case: disturbed\n");
        }
        return sb.toString();
    }

    static String consoleSummary(Data d) {
        StringBuilder sb = new StringBuilder(consoleTable(d));
        for (String t : targets(d)) {
            sb.append(t.replace("**", "")).append('\n');
        }
        for (String t : IssueTargets.lines(d)) {
            sb.append(t.replace("**", "")).append('\n');
        }
        for (ColdStart.Result r : coldResults(d)) {
            if (r != null) {
                sb.append(coldSummary(r)).append('\n');
            }
        }
        return sb.toString();
    }

    static String markdown(Data d) {
        StringBuilder md = new StringBuilder();
        BenchSettings s = d.settings;
        md.append("# wagi-servlet benchmark, ").append(d.started).append("\n\n");
        md.append("Command: `").append(d.command).append("`; ran for ").append(Stats.seconds(d.totalNanos)).append(" s (")
                .append(String.join(", ", d.phaseTimes)).append(").\n\n");
        md.append("One Tomcat serves these side by side: the drop-in WAR at `/` (the WAGI filter; its routes run on Chicory, ")
                .append("and the same modules again on wasmtime under `").append(Servers.WASMTIME_PREFIX).append("/`), ")
                .append(s.hop() ? "the same filter with `module-stack-size = 0` at `" + Servers.NOHOP_CONTEXT + "` (the thread-hop comparison), " : "")
                .append("a plain servlet writing the same bytes at `/plain`, and Tomcat's CGIServlet running the same handlers ")
                .append("compiled natively with gcc at `/cgi`. wrk drives each in turn for ").append(s.duration().toSeconds())
                .append(" s per case, after ").append(s.warmup().toSeconds()).append(" s of unreported warm-up per target, over loopback. ")
                .append("The esbuild transform then runs in a Tomcat of its own per engine (see below).\n\n");

        if (!d.problems.isEmpty()) {
            md.append("**Problems in this run:**\n\n");
            for (String p : d.problems) {
                md.append("- ").append(p).append('\n');
            }
            md.append('\n');
        }

        List<String> issue = IssueTargets.lines(d);
        if (!issue.isEmpty()) {
            md.append("## Targets of issue #12 (the engines)\n\n");
            for (String t : issue) {
                md.append("- ").append(t).append('\n');
            }
            md.append("\nThe cases behind them: \"Engines side by side\" and \"Cold start of a big module\" below.\n\n");
        }

        md.append("## Environment\n\n| | |\n|---|---|\n");
        d.environment.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(escape(v)).append(" |\n"));
        md.append('\n');

        if (d.http != null) {
            md.append("## Throughput and latency\n\n");
            if (d.chart) {
                md.append("![requests/s against connections](chart.png)\n\n");
            }
            md.append("| workload | server | engine | connections | requests/s | p50 ms | p99 ms | vs plain servlet | errors | CPU % server / wrk / other | server GCs / ms paused | peak RSS MiB |\n");
            md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (HttpCases.CaseResult c : d.http.cases()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %s | %s | %d | %s | %s | %s |%n",
                        c.target().workload(), c.target().server(), c.target().engine(), c.connections(), rate(c),
                        Stats.ms(c.wrk().p50Micros()), Stats.ms(c.wrk().p99Micros()), Stats.ratio(ratio(d, c)),
                        c.wrk().errors(), c.cpu().format() + " %", c.gc().format(), Stats.mib(c.peakRssBytes())));
            }
            long disturbed = d.http.cases().stream().filter(c -> Quiet.disturbed(c.cpu())).count();
            if (disturbed > 0) {
                md.append(String.format(Locale.ROOT, "%n\\* %d of %d cases were **disturbed**: other processes on this shared machine used more "
                        + "than %d %% of a core during them (the \"other\" CPU); their numbers are lower and noisier than the code deserves.%n",
                        disturbed, d.http.cases().size(), (int) Quiet.OTHER_LIMIT_PERCENT));
            }
            md.append("""

                    - **workload**: `hello` is `GET` of a handler answering `Content-Type: text/plain` and `Hello, world!\\n`
                      (`hello.wasm` / `PlainBenchServlet` / `modules/c/hello.c` compiled natively); `rust-1m` is `GET /rust?name=bench&lang=rust`
                      of `bench/wasm/rust-1m.wasm`, a Rust (std) handler with a 1 MiB linear memory rendering about 1 KB of HTML;
                      `echo-64k` is a `POST` of a %d-byte body echoed back (`echo.wasm` / the plain servlet / `modules/c/echo.c` compiled natively);
                      `go` is `GET /go?name=bench` of the Go example handler (`examples/go/hello.wasm`, 2.3 MB, Go's wasip1 runtime);
                      `esbuild` is a `POST` of a one-line JavaScript template literal to esbuild (20 MB, Go-built), whose transform
                      of it is a CGI response: a Tomcat of its own per engine, at 1 and 4 connections.
                    - **server**: `wagi` the filter in the WAR, `wagi-nohop` the same filter in a second webapp with `module-stack-size = 0`
                      (modules run on the request thread: no hop to a module thread), `plain` the plain servlet, `cgi` Tomcat's CGIServlet
                      (one process per request).
                    - **engine**: the route's engine (`engine` key in the bench's modules.toml): `chicory` (compiled to JVM bytecode,
                      the default) or `wasmtime` (native, JNI); `-` where no module runs.
                    - **vs plain servlet**: requests/s divided by the plain servlet's for the same workload and connections
                      (`rust-1m` and `go` are compared with the plain servlet's `hello`; `esbuild` with nothing).
                    - **p50 / p99**: wrk's latency percentiles (closed loop: each connection sends its next request when the last is answered).
                      esbuild on Chicory is not driven by wrk but by a fixed number of requests per connection (Java's HttpClient,
                      one thread per connection, also closed loop; every latency kept): see the environment's "wrk settings".
                    - **errors**: wrk's socket errors (connect, read, write, timeout) plus non-2xx/3xx responses.
                    - **CPU %% server / wrk / other**: where the machine's CPU went during the case, in %% of one core (the machine has
                      200 %%): the Tomcat process with its CGI children, the wrk client (2 threads; 1 at 1 connection), and everything
                      else (other processes on this shared machine, the benchmark's own JVM, steal). Before each case the benchmark
                      waits (at most %d s) for a second in which "other" stays under %d %%; a case with more than that is measured
                      again (a few times per run, the least disturbed attempt is kept) and, if still disturbed, marked `*`.
                    - **peak RSS**: the highest resident set size of the Tomcat process tree (the JVM plus CGI children), sampled every
                      100 ms during the case. All the servers of the main Tomcat live in the same JVM, so this is mostly the JVM's own footprint.
                    - Tomcat's CGIServlet starts one process per request, reads its output, then polls for its exit every 500 ms
                      (`CGIServlet$CGIRunner` sleeps 500 ms while `Process.exitValue()` says it is still running). That sleep
                      dominates its latency; under more load the process has more often exited by the first check, so it can
                      serve more requests/s at 64 connections than at 16.

                    """.formatted(s.echoBytes(), Quiet.MAX_WAIT_SECONDS, (int) Quiet.OTHER_LIMIT_PERCENT));
            md.append(EngineTables.sideBySide(d));
            md.append(EngineTables.overhead(d));
            List<String> targets = targets(d);
            if (!targets.isEmpty()) {
                md.append("### Targets of the issue (hello at 16 connections)\n\n");
                for (String t : targets) {
                    md.append("- ").append(t).append('\n');
                }
                md.append('\n');
            }
            md.append("### Response checks before driving each target\n\n| target | check | framing |\n|---|---|---|\n");
            for (HttpCases.Check c : d.http.checks()) {
                md.append("| ").append(c.target().label()).append(" `").append(c.target().path()).append("` | ")
                        .append(c.ok() ? "ok: " : "**failed**: ").append(escape(c.detail())).append(" | ")
                        .append(escape(c.framing())).append(" |\n");
            }
            md.append('\n');
        }

        if (d.serverLog != null) {
            md.append("### Warnings and errors in the benchmark server's log\n\n");
            if (d.serverLog.isEmpty()) {
                md.append("None.\n\n");
            } else {
                md.append("From `raw/tomcat-console.log.gz` (digits replaced by N):\n\n| count | level | logger | message |\n|---:|---|---|---|\n");
                for (LogSummary.Entry e : d.serverLog.subList(0, Math.min(12, d.serverLog.size()))) {
                    md.append("| ").append(e.count()).append(" | ").append(e.level()).append(" | `").append(e.source())
                            .append("` | ").append(escape(e.message())).append(" |\n");
                }
                md.append('\n');
            }
        }

        ColdStart.Result any = coldResults(d).stream().filter(r -> r != null && r.bigModuleBytes() > 0).findFirst().orElse(null);
        if (any != null) {
            md.append("## Cold start of a big module\n\n");
            md.append("The module is esbuild ").append(s.bigModule() == null ? "" : "(`" + s.bigModule().getFileName() + "`, ")
                    .append(String.format(Locale.ROOT, "%,d", any.bigModuleBytes())).append(" bytes, Go-built, from the npm package ")
                    .append("`@esbuild/wasi-preview1`), routed at `/esbuild`. A request POSTs a one-line JavaScript template literal; ")
                    .append("esbuild transforms it, and its output is a CGI response (`").append(ColdStart.ESBUILD_EXPECTED).append("...`). ")
                    .append("`/hello` is requested every 10 ms by one client throughout.\n\n");
            md.append("Note: by default the filter compiles every configured module in its `init()` (see the README), so a ")
                    .append("webapp is not deployed until its slowest module is compiled; the first case shows what that costs. ")
                    .append("With `background-compile-size`, modules at least that large compile on the module cache's threads ")
                    .append("while the webapp serves (requests to their routes wait for the compile); the third case shows that.\n\n")
                    .append("Every case is a real cold start: the filter's `code_cache_dir` (Chicory's compiled bytecode, and wasmtime's ")
                    .append("compile cache in its `wasmtime/` folder) is a new, empty folder, and no compiled code is reused.\n\n");
            if (d.startupWasmtime != null) {
                md.append(coldMarkdown(d.startupWasmtime, d.mainServerHelloFirst200Nanos));
            }
            if (d.startup != null) {
                md.append(coldMarkdown(d.startup, d.mainServerHelloFirst200Nanos));
            }
            if (d.startupBackground != null) {
                md.append(coldMarkdown(d.startupBackground, d.mainServerHelloFirst200Nanos));
            }
            if (d.hotDeploy != null) {
                md.append(coldMarkdown(d.hotDeploy, -1));
            }
        }

        if (d.jmh != null) {
            md.append("## JMH: the per-request path without HTTP\n\n");
            md.append("`bench/jmh` (package `dev.wagiservlet.bench`), run with `").append(s.jmhArgs())
                    .append("`; raw output in `jmh.txt` and `jmh.json`. Average time per operation; the error is JMH's 99.9 % ")
                    .append("confidence half-width; allocation from `-prof gc` where run.");
            if (!Double.isNaN(d.jmhCpu.other())) {
                md.append(String.format(Locale.ROOT, " During the JMH run, JMH used %.0f %% and other processes %.0f %% of a core%s.",
                        d.jmhCpu.client(), d.jmhCpu.other(),
                        Quiet.disturbed(d.jmhCpu) ? " (**disturbed**: treat these numbers as upper bounds)" : ""));
            }
            md.append("\n\n");
            md.append("| step | benchmark | params | time | ± | allocated per op |\n|---|---|---|---:|---:|---:|\n");
            for (Jmh.Row r : d.jmh) {
                md.append(String.format(Locale.ROOT, "| %s | `%s` | %s | %.2f %s | %s | %s |%n",
                        step(r.benchmark()), r.benchmark(), r.params().isEmpty() ? "" : r.params(), r.score(), r.unit(),
                        Double.isNaN(r.error()) ? "n/a" : String.format(Locale.ROOT, "%.2f", r.error()), Double.isNaN(r.allocBytesPerOp()) ? "n/a" : String.format(Locale.ROOT, "%,.0f B", r.allocBytesPerOp())));
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String step(String benchmark) {
        String m = benchmark.substring(benchmark.indexOf('.') + 1);
        return switch (m) {
            case "environmentAndArguments" -> "build env and argv";
            case "instantiate" -> "instantiate (WASI context + instance)";
            case "run" -> "instantiate + run (CompiledModule.run)";
            case "parseHello", "parseTypical" -> "parse output (CgiStdout)";
            case "cacheHit" -> "ModuleCache.get, hit";
            case "wholeRequest" -> "all of the above, hello.wasm";
            default -> m;
        };
    }

    private static String coldMarkdown(ColdStart.Result r, long mainHelloNanos) {
        StringBuilder md = new StringBuilder();
        if (r.name().equals("startup-wasmtime")) {
            md.append("### At server start, on wasmtime: `/esbuild` with `engine = \"wasmtime\"` in the WAR's modules.toml beside the small routes\n\n");
        } else if (r.name().equals("startup")) {
            md.append("### At server start, on Chicory: `/esbuild` in the WAR's modules.toml beside the small routes\n\n");
        } else if (r.name().equals("startup-background")) {
            md.append("### At server start, with `background-compile-size = ").append(ColdStart.BACKGROUND_COMPILE_SIZE)
                    .append("` (`WAGI_BACKGROUND_COMPILE_SIZE`): the same, compiled in the background\n\n");
        } else {
            md.append("### Hot deploy: a second webapp `/cold` with `/esbuild` dropped into the running server\n\n");
        }
        if (!r.note().isEmpty()) {
            md.append("**").append(r.note()).append("** (last answer: `").append(escape(r.bigBody())).append("`)\n\n");
            return md.toString();
        }
        md.append("Times from ").append(r.t0Meaning()).append(".\n\n| what | value |\n|---|---:|\n");
        md.append("| engine of `/esbuild` | ").append(r.engine()).append(" |\n");
        md.append("| code cache | ").append(r.codeCache()).append(" |\n");
        if (r.name().startsWith("startup")) {
            md.append("| `/esbuild` first 200 | **").append(Stats.seconds(r.bigFirst200Nanos())).append(" s** |\n");
            md.append("| `/hello` first 200 | **").append(Stats.seconds(r.helloFirst200Nanos())).append(" s** |\n");
            if (mainHelloNanos > 0) {
                md.append("| `/hello` first 200 of the benchmark server (same WAR, no big module), for comparison | ")
                        .append(Stats.seconds(mainHelloNanos)).append(" s |\n");
            }
            md.append("| Tomcat's \"Server startup in\" | ").append(r.tomcatStartupMillis()).append(" ms |\n");
        } else {
            md.append("| Tomcat starts deploying `/cold` (seen in its log) | ").append(Stats.seconds(r.deployStartNanos())).append(" s |\n");
            md.append("| deployment finished (seen in its log) | ").append(Stats.seconds(r.deployEndNanos())).append(" s |\n");
            md.append("| Tomcat's reported deployment time | ").append(r.tomcatDeployMillis()).append(" ms |\n");
            md.append("| `/cold/esbuild` first 200 | **").append(Stats.seconds(r.bigFirst200Nanos())).append(" s** |\n");
        }
        md.append("| compile of the module, from the filter's log | ").append(r.bigCompileMillis() < 0 ? "n/a" : r.bigCompileMillis() + " ms")
                .append(" |\n");
        md.append(r.name().startsWith("startup")
                ? "| duration of the request that got that first 200 (sent at launch: it waited for the server) | "
                : "| duration of the request that got that first 200 (the module's first run) | ")
                .append(Stats.msFromNanos(r.bigFirstRequestNanos())).append(" ms |\n");
        md.append("| peak RSS of the Tomcat process | ").append(Stats.mib(r.peakRssBytes())).append(" MiB")
                .append(String.format(Locale.ROOT, " (%,.0f MB)", r.peakRssBytes() / 1e6)).append(" |\n");
        md.append("| CPU % server / other (one core = 100 %) over that time | ")
                .append(Double.isNaN(r.cpu().server()) ? "n/a" : String.format(Locale.ROOT, "%.0f / %.0f",
                        r.cpu().server(), r.cpu().other() + r.cpu().client()))
                .append(" |\n\n");
        md.append("`/hello` meanwhile (one request at a time, every 10 ms):\n\n")
                .append("| window | answered | not answered | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|\n");
        for (ColdStart.Window w : r.windows()) {
            md.append(String.format(Locale.ROOT, "| %s (%s s to %s s) | %d | %d | %s | %s | %s |%n", w.label(),
                    Stats.signedSeconds(w.fromNanos()), Stats.signedSeconds(w.toNanos()), w.answered(), w.failed(),
                    Stats.ms(w.p50Micros()), Stats.ms(w.p99Micros()), Stats.ms(w.maxMicros())));
        }
        md.append("\n\"Not answered\" counts refused connections and errors; a request sent while Tomcat was starting may be ")
                .append("accepted by the kernel and wait (that is the max).\n");
        md.append('\n');
        if (r.name().startsWith("startup")) {
            // /hello's first answer came later than half the compile's duration after launch: it waited for the compile
            long threshold = r.bigCompileMillis() > 0 ? r.bigCompileMillis() * 500_000L : r.bigFirst200Nanos() / 2;
            boolean blocked = r.helloFirst200Nanos() < 0 || r.helloFirst200Nanos() > threshold;
            md.append(blocked
                    ? "`/hello` did not answer until the big module was compiled: the compile blocks the whole webapp's deployment "
                      + "(and, in Tomcat, the connector's start), so other routes' requests wait for it.\n\n"
                    : "`/hello` answered before the big module was ready: its compile did not block the other routes.\n\n");
        } else {
            md.append("The root webapp's `/hello` is served by a different webapp (and filter instance) than the one compiling, so ")
                    .append("this window shows the cost of sharing the CPU with the compile, not blocking.\n\n");
        }
        return md.toString();
    }

    private static String coldSummary(ColdStart.Result r) {
        if (!r.note().isEmpty()) {
            return "cold start (" + r.name() + "): " + r.note();
        }
        StringBuilder sb = new StringBuilder("cold start (").append(r.name()).append(", ").append(r.engine()).append(", ")
                .append(Math.round(r.bigModuleBytes() / 1e6)).append(" MB module): /esbuild first 200 after ")
                .append(Stats.seconds(r.bigFirst200Nanos())).append(" s");
        if (r.name().startsWith("startup")) {
            sb.append(", /hello first 200 after ").append(Stats.seconds(r.helloFirst200Nanos())).append(" s");
        }
        sb.append("; compile ").append(r.bigCompileMillis()).append(" ms; peak RSS ").append(Stats.mib(r.peakRssBytes())).append(" MiB");
        for (ColdStart.Window w : r.windows()) {
            sb.append("\n  /hello ").append(w.label()).append(": ").append(w.answered()).append(" answered, ").append(w.failed())
                    .append(" not, p50 ").append(Stats.ms(w.p50Micros())).append(" ms, p99 ").append(Stats.ms(w.p99Micros()))
                    .append(" ms, max ").append(Stats.ms(w.maxMicros())).append(" ms");
        }
        return sb.toString();
    }

    /** The cold-start results in report order (entries are null for cases that did not run). */
    static List<ColdStart.Result> coldResults(Data d) {
        return Arrays.asList(d.startupWasmtime, d.startup, d.startupBackground, d.hotDeploy);
    }

    /** The three targets of the issue, with this run's values. */
    static List<String> targets(Data d) {
        List<String> out = new ArrayList<>();
        if (d.http == null) {
            return out;
        }
        HttpCases.CaseResult wagi = find(d, HttpCases.HELLO, HttpCases.WAGI, HttpCases.CHICORY, 16);
        HttpCases.CaseResult plain = find(d, HttpCases.HELLO, HttpCases.PLAIN, HttpCases.NO_ENGINE, 16);
        HttpCases.CaseResult cgi = find(d, HttpCases.HELLO, HttpCases.CGI, HttpCases.NO_ENGINE, 16);
        if (wagi == null) {
            return out;
        }
        double w = wagi.wrk().requestsPerSecond();
        if (plain != null) {
            double f = w / plain.wrk().requestsPerSecond();
            out.add(String.format(Locale.ROOT, "filter at >= 50 %% of the plain servlet's requests/s: %s (%s vs %s req/s) **%s**",
                    Stats.percent(f), Stats.rate(w), Stats.rate(plain.wrk().requestsPerSecond()), f >= 0.5 ? "met" : "not met"));
        }
        out.add(String.format(Locale.ROOT, "filter p99 under 5 ms: %s ms **%s**", Stats.ms(wagi.wrk().p99Micros()),
                wagi.wrk().p99Micros() < 5000 ? "met" : "not met"));
        if (cgi != null) {
            double r = w / cgi.wrk().requestsPerSecond();
            out.add(String.format(Locale.ROOT, "filter over 1,000x the CGIServlet's requests/s: %s (%s vs %s req/s) **%s**",
                    Stats.ratio(r), Stats.rate(w), Stats.rate(cgi.wrk().requestsPerSecond()), r > 1000 ? "met" : "not met"));
        }
        return out;
    }

    /** This run's case of that workload, server, engine and connection count, or null. */
    static HttpCases.CaseResult find(Data d, String workload, String server, String engine, int connections) {
        if (d.http == null) {
            return null;
        }
        for (HttpCases.CaseResult c : d.http.cases()) {
            HttpCases.Target t = c.target();
            if (t.workload().equals(workload) && t.server().equals(server) && t.engine().equals(engine) && c.connections() == connections) {
                return c;
            }
        }
        return null;
    }

    static String rate(HttpCases.CaseResult c) {
        return Stats.rate(c.wrk().requestsPerSecond()) + (Quiet.disturbed(c.cpu()) ? " *" : "");
    }

    private static double ratio(Data d, HttpCases.CaseResult c) {
        if (c.target().baseline() == null) {
            return Double.NaN;
        }
        HttpCases.CaseResult plain = find(d, c.target().baseline(), HttpCases.PLAIN, HttpCases.NO_ENGINE, c.connections());
        if (plain == null || plain.wrk().requestsPerSecond() <= 0) {
            return Double.NaN;
        }
        return c.wrk().requestsPerSecond() / plain.wrk().requestsPerSecond();
    }

    static String escape(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
