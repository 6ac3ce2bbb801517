package dev.wagiservlet.bench.runner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The throughput cases: wrk against each target (a workload on a server and engine), at each of its
 * connection counts.
 */
final class HttpCases {

    static final String HELLO = "hello";
    static final String RUST = "rust-1m";
    static final String GO = "go";
    static final String ECHO = "echo-64k";
    static final String ESBUILD = "esbuild";
    static final String WAGI = "wagi";
    /** The filter in a second webapp with {@code module-stack-size = 0}: modules run on the request thread. */
    static final String NOHOP = "wagi-nohop";
    static final String PLAIN = "plain";
    static final String CGI = "cgi";
    static final String CHICORY = "chicory";
    static final String WASMTIME = "wasmtime";
    /** The engine column of targets that run no module (plain servlet, CGIServlet). */
    static final String NO_ENGINE = "-";

    /**
     * How a target is driven: by wrk for a duration, or, with {@code perConnection > 0}, by {@link FixedCount}
     * for that many requests per connection (warm-up: {@link #FIXED_WARMUP_REQUESTS} requests on one connection).
     *
     * @param connections the connection counts, one case each
     * @param duration how long wrk drives each case
     * @param warmup unreported load before the first case
     * @param timeout a request slower than this is an error (wrk's {@code --timeout})
     * @param perConnection requests per connection of a fixed-count case, or 0 for wrk
     */
    record Load(List<Integer> connections, Duration duration, Duration warmup, Duration timeout, int perConnection) {
        boolean fixedCount() {
            return perConnection > 0;
        }
    }

    /** The warm-up of a fixed-count target: requests on one connection. */
    static final int FIXED_WARMUP_REQUESTS = 2;

    /**
     * One thing to drive.
     *
     * @param workload hello, rust-1m, go, echo-64k or esbuild
     * @param server wagi (the filter), wagi-nohop, plain (the plain servlet) or cgi (Tomcat's CGIServlet)
     * @param engine chicory or wasmtime for the filter, {@link #NO_ENGINE} otherwise
     * @param path request path and query
     * @param body what each request sends
     * @param baseline the workload whose plain servlet is the reference for the ratio, or null for none
     * @param load connection counts, durations and timeout
     */
    record Target(String workload, String server, String engine, String path, RequestBody body, String baseline, Load load) {
        String label() {
            return workload + " / " + server + (engine.equals(NO_ENGINE) ? "" : " / " + engine);
        }
    }

    /** One measured case. */
    record CaseResult(Target target, int connections, Wrk.Result wrk, CpuShare cpu, long peakRssBytes, int attempts, GcPauses gc) {}

    /** The response check before a target is driven. */
    record Check(Target target, boolean ok, String detail, String framing) {}

    record Outcome(List<Check> checks, List<CaseResult> cases) {

        /** This outcome followed by another's checks and cases. */
        Outcome plus(Outcome other) {
            List<Check> c = new ArrayList<>(checks);
            c.addAll(other.checks);
            List<CaseResult> r = new ArrayList<>(cases);
            r.addAll(other.cases);
            return new Outcome(c, r);
        }
    }

    private HttpCases() {}

    /** The targets of the side-by-side server (Servers#sideBySide and the modules.toml of Servers#mainRoutes). */
    static List<Target> mainTargets(BenchSettings settings) {
        Load load = new Load(settings.connections(), settings.duration(), settings.warmup(), Duration.ofSeconds(10), 0);
        RequestBody echo = RequestBody.pattern(settings.echoBytes());
        String rust = "?name=bench&lang=rust";
        List<Target> targets = new ArrayList<>();
        targets.add(new Target(HELLO, WAGI, CHICORY, "/hello", RequestBody.NONE, HELLO, load));
        targets.add(new Target(HELLO, WAGI, WASMTIME, Servers.WASMTIME_PREFIX + "/hello", RequestBody.NONE, HELLO, load));
        if (settings.hop()) {
            targets.add(new Target(HELLO, NOHOP, CHICORY, Servers.NOHOP_CONTEXT + "/hello", RequestBody.NONE, HELLO, load));
        }
        targets.add(new Target(HELLO, PLAIN, NO_ENGINE, "/plain/hello", RequestBody.NONE, HELLO, load));
        targets.add(new Target(HELLO, CGI, NO_ENGINE, "/cgi/bin/hello", RequestBody.NONE, HELLO, load));
        targets.add(new Target(RUST, WAGI, CHICORY, "/rust" + rust, RequestBody.NONE, HELLO, load));
        targets.add(new Target(RUST, WAGI, WASMTIME, Servers.WASMTIME_PREFIX + "/rust" + rust, RequestBody.NONE, HELLO, load));
        if (settings.hop()) { // rust-1m may recurse, so it runs on a module thread by default: the hop's cost
            targets.add(new Target(RUST, NOHOP, CHICORY, Servers.NOHOP_CONTEXT + "/rust" + rust, RequestBody.NONE, HELLO, load));
        }
        targets.add(new Target(GO, WAGI, CHICORY, "/go?name=bench", RequestBody.NONE, HELLO, load));
        targets.add(new Target(GO, WAGI, WASMTIME, Servers.WASMTIME_PREFIX + "/go?name=bench", RequestBody.NONE, HELLO, load));
        targets.add(new Target(ECHO, WAGI, CHICORY, "/bench/echo", echo, ECHO, load));
        targets.add(new Target(ECHO, PLAIN, NO_ENGINE, "/plain/echo", echo, ECHO, load));
        targets.add(new Target(ECHO, CGI, NO_ENGINE, "/cgi/bin/echo", echo, ECHO, load));
        return targets;
    }

    /**
     * The esbuild transform on one engine, in its own server (EsbuildCases). On Chicory a transform costs seconds
     * of CPU, so its cases are a fixed number of requests with a generous timeout
     * ({@link BenchSettings#esbuildChicoryRequests}); on wasmtime, wrk as for the others.
     */
    static Target esbuildTarget(BenchSettings settings, String engine, Path input) {
        List<Integer> connections = List.of(1, 4);
        Load load = engine.equals(CHICORY)
                ? new Load(connections, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(120), settings.esbuildChicoryRequests())
                : new Load(connections, settings.duration(), settings.warmup(), Duration.ofSeconds(30), 0);
        return new Target(ESBUILD, WAGI, engine, "/esbuild", RequestBody.file(input, "application/javascript"), null, load);
    }

    /** The POST body wrk sends (bench.lua builds the same bytes). */
    static byte[] echoBody(int size) {
        byte[] pattern = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = pattern[i % 64];
        }
        return body;
    }

    static Outcome run(List<Target> targets, int port, ProcessHandle tomcat, Supplier<GcPauses> gcTotals, Wrk wrk, Path rawDir)
            throws IOException, InterruptedException {
        List<Check> checks = new ArrayList<>();
        List<CaseResult> cases = new ArrayList<>();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (Target target : targets) {
            Check check = check(client, port, target);
            checks.add(check);
            System.out.printf(Locale.ROOT, "[http] check %-28s %s %s (%s)%n", target.label(), check.ok() ? "ok  " : "FAIL",
                    check.detail(), check.framing());
            if (!check.ok()) {
                continue;
            }
            URI url = ColdStart.uri(port, target.path());
            Load load = target.load();
            if (load.fixedCount()) {
                FixedCount.run(url, 1, FIXED_WARMUP_REQUESTS, load.timeout(), target.body());
            } else if (!load.warmup().isZero()) {
                int warmupConnections = Math.min(16, load.connections().stream().mapToInt(Integer::intValue).max().orElse(16));
                wrk.run(url, warmupConnections, load.warmup(), load.timeout(), target.body());
            }
            for (int connections : load.connections()) {
                CaseResult c = null;
                for (int attempt = 1; ; attempt++) {
                    Quiet.awaitIdleServer(tomcat, load.timeout(), target.label() + " c=" + connections);
                    Quiet.await(tomcat, target.label() + " c=" + connections);
                    CpuShare.Mark before = CpuShare.Mark.now(tomcat);
                    GcPauses gcBefore = gcTotals.get();
                    Wrk.Result result;
                    long peak;
                    try (RssSampler rss = new RssSampler(() -> java.util.Optional.of(tomcat))) {
                        result = load.fixedCount()
                                ? FixedCount.run(url, connections, load.perConnection(), load.timeout(), target.body())
                                : wrk.run(url, connections, load.duration(), load.timeout(), target.body());
                        peak = rss.peak();
                    }
                    CpuShare cpu = CpuShare.since(before, tomcat);
                    GcPauses gc = gcTotals.get().since(gcBefore);
                    CaseResult attemptResult = new CaseResult(target, connections, result, cpu, peak, attempt, gc);
                    if (c == null || attemptResult.cpu().other() < c.cpu().other()) {
                        c = attemptResult;
                    }
                    if (!Quiet.disturbed(cpu) || load.fixedCount() || !Quiet.retryAllowed()) { // a fixed count takes minutes: once
                        break;
                    }
                    System.out.printf(Locale.ROOT, "[quiet] %s c=%d was disturbed (other CPU %.0f %%): measuring it again%n",
                            target.label(), connections, cpu.other());
                }
                Wrk.Result result = c.wrk();
                CpuShare cpu = c.cpu();
                long peak = c.peakRssBytes();
                cases.add(c);
                Files.writeString(rawDir.resolve(String.format(Locale.ROOT, "wrk-%s-%s-%s-c%d.txt", target.workload(),
                        target.server(), target.engine().replace(NO_ENGINE, "none"), connections)), result.raw());
                System.out.printf(Locale.ROOT, "[http] %-28s c=%-3d %10s%s req/s  p50 %7s ms  p99 %8s ms  errors %d  CPU server/wrk/other %s %%  GC n/ms %s  RSS %s MiB%n",
                        target.label(), connections, Stats.rate(result.requestsPerSecond()), Quiet.disturbed(cpu) ? "*" : "",
                        Stats.ms(result.p50Micros()), Stats.ms(result.p99Micros()), result.errors(), cpu.format(), c.gc().format(),
                        Stats.mib(peak));
            }
        }
        return new Outcome(checks, cases);
    }

    /** One request through Java's HTTP client: right status and body? And how is the response framed? */
    private static Check check(HttpClient client, int port, Target target) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(ColdStart.uri(port, target.path())).timeout(target.load().timeout());
        byte[] sent = null;
        try {
            if (target.body().isPost()) {
                sent = target.body().bytes();
                request.POST(HttpRequest.BodyPublishers.ofByteArray(sent)).header("Content-Type", target.body().contentTypeOrDefault());
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = response.body();
            String framing = response.headers().firstValue("content-length").map(v -> "Content-Length " + v)
                    .orElse(response.headers().firstValue("transfer-encoding").map(v -> "Transfer-Encoding " + v).orElse("no length"));
            framing += ", Content-Type " + response.headers().firstValue("content-type").orElse("none");
            boolean ok;
            String detail;
            if (response.statusCode() != 200) {
                ok = false;
                detail = "status " + response.statusCode() + ": " + snippet(body);
            } else if (target.workload().equals(HELLO)) {
                ok = Arrays.equals(body, "Hello, world!\n".getBytes(StandardCharsets.US_ASCII));
                detail = ok ? "200 \"Hello, world!\\n\"" : "unexpected body: " + snippet(body);
            } else if (target.workload().equals(RUST)) {
                ok = new String(body, StandardCharsets.UTF_8).contains("<h1>Hello, bench!</h1>");
                detail = ok ? "200, " + body.length + " bytes of HTML" : "unexpected body: " + snippet(body);
            } else if (target.workload().equals(GO)) {
                ok = new String(body, StandardCharsets.UTF_8).contains("Hello from Go!");
                detail = ok ? "200, " + body.length + " bytes starting \"Hello from Go!\"" : "unexpected body: " + snippet(body);
            } else if (target.workload().equals(ESBUILD)) {
                ok = new String(body, StandardCharsets.UTF_8).contains(ColdStart.ESBUILD_EXPECTED);
                detail = ok ? "200 \"" + snippet(body) + "\"" : "unexpected body: " + snippet(body);
            } else {
                ok = Arrays.equals(body, sent);
                detail = ok ? "200, " + body.length + " bytes echoed exactly" : "echo differs: " + body.length + " bytes back";
            }
            return new Check(target, ok, detail, framing);
        } catch (IOException e) {
            return new Check(target, false, e.toString(), "");
        }
    }

    private static String snippet(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        s = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return s.replace("\n", "\\n");
    }
}
