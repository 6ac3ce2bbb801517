package dev.wagiservlet.bench.runner;

import java.util.List;
import java.util.Locale;

/** The report's engine sections: each module on both engines side by side, and each engine's overhead per request. */
final class EngineTables {

    private static final List<String> WORKLOADS = List.of(HttpCases.HELLO, HttpCases.RUST, HttpCases.GO, HttpCases.ESBUILD);

    private EngineTables() {}

    /** Markdown: per workload and connection count, Chicory's and wasmtime's requests/s, p50 and mean latency. */
    static String sideBySide(Report.Data d) {
        StringBuilder md = new StringBuilder("### Engines side by side (the filter, `wagi`)\n\n");
        md.append("| workload | connections | Chicory req/s | Chicory p50 ms | Chicory mean ms | wasmtime req/s | wasmtime p50 ms ")
                .append("| wasmtime mean ms | wasmtime / Chicory req/s |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        int rows = 0;
        for (String w : WORKLOADS) {
            for (int c : d.http.cases().stream().filter(r -> r.target().workload().equals(w)).map(HttpCases.CaseResult::connections)
                    .distinct().sorted().toList()) {
                HttpCases.CaseResult chicory = Report.find(d, w, HttpCases.WAGI, HttpCases.CHICORY, c);
                HttpCases.CaseResult wasmtime = Report.find(d, w, HttpCases.WAGI, HttpCases.WASMTIME, c);
                if (chicory == null && wasmtime == null) {
                    continue;
                }
                double ratio = chicory == null || wasmtime == null ? Double.NaN
                        : wasmtime.wrk().requestsPerSecond() / chicory.wrk().requestsPerSecond();
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s |%n", w, c,
                        chicory == null ? "n/a" : Report.rate(chicory), p50(chicory), mean(chicory),
                        wasmtime == null ? "n/a" : Report.rate(wasmtime), p50(wasmtime), mean(wasmtime), Stats.ratio(ratio)));
                rows++;
            }
        }
        if (rows == 0) {
            return "";
        }
        return md.append("\nesbuild runs in a Tomcat of its own per engine (the main server's cases are never disturbed by its compile or ")
                .append("its heap); the others share the main server.\n\n").toString();
    }

    /**
     * Markdown: at 1 connection (one request at a time, so the mean latency is the time per request), each
     * filter variant's mean and p50 latency on hello.wasm less the plain servlet's: what the filter and the
     * engine add to a request, HTTP and Tomcat being the same.
     */
    static String overhead(Report.Data d) {
        StringBuilder md = new StringBuilder("### Per-request overhead on hello.wasm, per engine (1 connection)\n\n");
        HttpCases.CaseResult plain = Report.find(d, HttpCases.HELLO, HttpCases.PLAIN, HttpCases.NO_ENGINE, 1);
        if (plain == null) {
            return md.append("n/a: no plain-servlet hello case at 1 connection (BENCH_CONNECTIONS must include 1).\n\n").toString();
        }
        md.append("One request at a time, so the latency is the whole time per request; less the plain servlet's (same bytes, same ")
                .append("Tomcat, same wrk), it is what the filter and the engine add per request. The median is the measure: the mean ")
                .append("also carries the few requests a busy machine descheduled.\n\n")
                .append("| server / engine | p50 µs | mean µs | overhead, p50 µs | overhead, mean µs |\n|---|---:|---:|---:|---:|\n")
                .append(String.format(Locale.ROOT, "| plain servlet | %d | %.0f | | |%n", plain.wrk().p50Micros(), plain.wrk().meanMicros()));
        List<String[]> variants = List.of(new String[] {HttpCases.WAGI, HttpCases.CHICORY}, new String[] {HttpCases.WAGI, HttpCases.WASMTIME},
                new String[] {HttpCases.NOHOP, HttpCases.CHICORY});
        for (String[] v : variants) {
            HttpCases.CaseResult c = Report.find(d, HttpCases.HELLO, v[0], v[1], 1);
            if (c != null) {
                md.append(String.format(Locale.ROOT, "| %s / %s | %d | %.0f | **%d** | %.0f |%n", v[0], v[1], c.wrk().p50Micros(),
                        c.wrk().meanMicros(), c.wrk().p50Micros() - plain.wrk().p50Micros(), c.wrk().meanMicros() - plain.wrk().meanMicros()));
            }
        }
        md.append('\n');
        HttpCases.CaseResult hop = Report.find(d, HttpCases.HELLO, HttpCases.WAGI, HttpCases.CHICORY, 1);
        HttpCases.CaseResult nohop = Report.find(d, HttpCases.HELLO, HttpCases.NOHOP, HttpCases.CHICORY, 1);
        if (hop != null && nohop != null) {
            md.append(String.format(Locale.ROOT, "The thread hop (`wagi`, the default `module-stack-size`, against `wagi-nohop`, `0`): "
                    + "%+d µs per request (p50) at 1 connection", hop.wrk().p50Micros() - nohop.wrk().p50Micros()));
            for (int c : d.settings.connections()) {
                HttpCases.CaseResult a = Report.find(d, HttpCases.HELLO, HttpCases.WAGI, HttpCases.CHICORY, c);
                HttpCases.CaseResult b = Report.find(d, HttpCases.HELLO, HttpCases.NOHOP, HttpCases.CHICORY, c);
                if (a != null && b != null && c != 1) {
                    md.append(String.format(Locale.ROOT, "; %s of the requests/s at %d connections",
                            Stats.percent(a.wrk().requestsPerSecond() / b.wrk().requestsPerSecond()), c));
                }
            }
            md.append(".\n\n");
        } else if (!d.settings.hop()) {
            md.append("The thread-hop comparison (`wagi-nohop`) was off (BENCH_HOP=0).\n\n");
        }
        return md.toString();
    }

    private static String p50(HttpCases.CaseResult c) {
        return c == null ? "n/a" : Stats.ms(c.wrk().p50Micros());
    }

    private static String mean(HttpCases.CaseResult c) {
        return c == null || Double.isNaN(c.wrk().meanMicros()) ? "n/a" : Stats.ms(Math.round(c.wrk().meanMicros()));
    }
}
