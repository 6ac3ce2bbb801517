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

/** The throughput cases: wrk against each server of each workload, at each connection count. */
final class HttpCases {

    static final String HELLO = "hello";
    static final String RUST = "rust-1m";
    static final String ECHO = "echo-64k";
    static final String WAGI = "wagi";
    static final String PLAIN = "plain";
    static final String CGI = "cgi";

    /**
     * One thing to drive.
     *
     * @param workload hello, rust-1m or echo-64k
     * @param server wagi (the filter), plain (the plain servlet) or cgi (Tomcat's CGIServlet)
     * @param path request path and query
     * @param postBytes POST body size, 0 for GET
     * @param baseline the workload whose plain servlet is the reference for the ratio
     */
    record Target(String workload, String server, String path, int postBytes, String baseline) {
        String label() {
            return workload + " / " + server;
        }
    }

    /** One measured case. */
    record CaseResult(Target target, int connections, Wrk.Result wrk, CpuShare cpu, long peakRssBytes, int attempts, GcPauses gc) {}

    /** The response check before a target is driven. */
    record Check(Target target, boolean ok, String detail, String framing) {}

    record Outcome(List<Check> checks, List<CaseResult> cases) {}

    private HttpCases() {}

    static List<Target> targets(BenchSettings settings) {
        int echo = settings.echoBytes();
        return List.of(
                new Target(HELLO, WAGI, "/hello", 0, HELLO),
                new Target(HELLO, PLAIN, "/plain/hello", 0, HELLO),
                new Target(HELLO, CGI, "/cgi/bin/hello", 0, HELLO),
                new Target(RUST, WAGI, "/rust?name=bench&lang=rust", 0, HELLO),
                new Target(ECHO, WAGI, "/bench/echo", echo, ECHO),
                new Target(ECHO, PLAIN, "/plain/echo", echo, ECHO),
                new Target(ECHO, CGI, "/cgi/bin/echo", echo, ECHO));
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

    static Outcome run(BenchSettings settings, int port, ProcessHandle tomcat, Supplier<GcPauses> gcTotals, Wrk wrk, Path rawDir)
            throws IOException, InterruptedException {
        List<Check> checks = new ArrayList<>();
        List<CaseResult> cases = new ArrayList<>();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (Target target : targets(settings)) {
            Check check = check(client, port, target);
            checks.add(check);
            System.out.printf(Locale.ROOT, "[http] check %-18s %s %s (%s)%n", target.label(), check.ok() ? "ok  " : "FAIL",
                    check.detail(), check.framing());
            if (!check.ok()) {
                continue;
            }
            URI url = ColdStart.uri(port, target.path());
            if (!settings.warmup().isZero()) {
                int warmupConnections = Math.min(16, settings.connections().stream().mapToInt(Integer::intValue).max().orElse(16));
                wrk.run(url, warmupConnections, settings.warmup(), target.postBytes());
            }
            for (int connections : settings.connections()) {
                CaseResult c = null;
                for (int attempt = 1; ; attempt++) {
                    Thread.sleep(500);
                    Quiet.await(tomcat, target.label() + " c=" + connections);
                    CpuShare.Mark before = CpuShare.Mark.now(tomcat);
                    GcPauses gcBefore = gcTotals.get();
                    Wrk.Result result;
                    long peak;
                    try (RssSampler rss = new RssSampler(() -> java.util.Optional.of(tomcat))) {
                        result = wrk.run(url, connections, settings.duration(), target.postBytes());
                        peak = rss.peak();
                    }
                    CpuShare cpu = CpuShare.since(before, tomcat);
                    GcPauses gc = gcTotals.get().since(gcBefore);
                    CaseResult attemptResult = new CaseResult(target, connections, result, cpu, peak, attempt, gc);
                    if (c == null || attemptResult.cpu().other() < c.cpu().other()) {
                        c = attemptResult;
                    }
                    if (!Quiet.disturbed(cpu) || !Quiet.retryAllowed()) {
                        break;
                    }
                    System.out.printf(Locale.ROOT, "[quiet] %s c=%d was disturbed (other CPU %.0f %%): measuring it again%n",
                            target.label(), connections, cpu.other());
                }
                Wrk.Result result = c.wrk();
                CpuShare cpu = c.cpu();
                long peak = c.peakRssBytes();
                cases.add(c);
                Files.writeString(rawDir.resolve(String.format(Locale.ROOT, "wrk-%s-%s-c%d.txt", target.workload(),
                        target.server(), connections)), result.raw());
                System.out.printf(Locale.ROOT, "[http] %-18s c=%-3d %10s%s req/s  p50 %7s ms  p99 %8s ms  errors %d  CPU server/wrk/other %s %%  GC n/ms %s  RSS %s MiB%n",
                        target.label(), connections, Stats.rate(result.requestsPerSecond()), Quiet.disturbed(cpu) ? "*" : "",
                        Stats.ms(result.p50Micros()), Stats.ms(result.p99Micros()), result.errors(), cpu.format(), c.gc().format(),
                        Stats.mib(peak));
            }
        }
        return new Outcome(checks, cases);
    }

    /** One request through Java's HTTP client: right status and body? And how is the response framed? */
    private static Check check(HttpClient client, int port, Target target) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(ColdStart.uri(port, target.path())).timeout(Duration.ofSeconds(30));
        byte[] sent = null;
        if (target.postBytes() > 0) {
            sent = echoBody(target.postBytes());
            request.POST(HttpRequest.BodyPublishers.ofByteArray(sent)).header("Content-Type", "application/octet-stream");
        }
        try {
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
