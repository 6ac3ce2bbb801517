package dev.wagiservlet.bench.runner;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The targets of issue #12 (the engines), each with this run's value and met or not met. */
final class IssueTargets {

    /** The esbuild transform on wasmtime, median latency at 1 connection. */
    static final long ESBUILD_P50_LIMIT_MICROS = 50_000;
    /** The esbuild route's first answer after a cold start on wasmtime. */
    static final long COLD_FIRST_ANSWER_LIMIT_NANOS = 25_000_000_000L;
    /** Peak RSS during that cold start: 2 GB (decimal), 1,907 MiB. */
    static final long COLD_RSS_LIMIT_BYTES = 2_000_000_000L;

    private IssueTargets() {}

    /** One Markdown line per target; a target whose case did not run says so. */
    static List<String> lines(Report.Data d) {
        List<String> out = new ArrayList<>();
        HttpCases.CaseResult esbuild = Report.find(d, HttpCases.ESBUILD, HttpCases.WAGI, HttpCases.WASMTIME, 1);
        if (esbuild != null) {
            long p50 = esbuild.wrk().p50Micros();
            out.add(String.format(Locale.ROOT, "esbuild transform on wasmtime, median at 1 connection <= 50 ms: %s ms (%d requests) **%s**",
                    Stats.ms(p50), esbuild.wrk().requests(), met(esbuild.wrk().requests() > 0 && p50 <= ESBUILD_P50_LIMIT_MICROS)));
        } else if (d.http != null) {
            out.add("esbuild transform on wasmtime, median at 1 connection <= 50 ms: not measured (no esbuild case on wasmtime)");
        }
        ColdStart.Result cold = d.startupWasmtime;
        if (cold != null && cold.note().isEmpty()) {
            out.add(String.format(Locale.ROOT, "esbuild's first answer after a cold start on wasmtime <= 25 s: %s s from Tomcat's launch "
                    + "to the first 200 (%s; compile %s ms) **%s**",
                    Stats.seconds(cold.bigFirst200Nanos()), cold.codeCache(), cold.bigCompileMillis(),
                    met(cold.bigFirst200Nanos() >= 0 && cold.bigFirst200Nanos() <= COLD_FIRST_ANSWER_LIMIT_NANOS)));
            out.add(String.format(Locale.ROOT, "peak RSS of that cold start < 2 GB (1,907 MiB): %s MiB **%s**",
                    Stats.mib(cold.peakRssBytes()), met(cold.peakRssBytes() > 0 && cold.peakRssBytes() < COLD_RSS_LIMIT_BYTES)));
        } else if (cold != null) {
            out.add("esbuild's first answer after a cold start on wasmtime <= 25 s: **not met** (" + cold.note() + ")");
        }
        if (d.http != null) {
            out.addAll(noSlower(d, HttpCases.HELLO));
            out.addAll(noSlower(d, HttpCases.RUST));
        }
        return out;
    }

    /** "No slower than today" for a workload on Chicory: against BENCH_BASELINE's results.json, at every connection count. */
    private static List<String> noSlower(Report.Data d, String workload) {
        String what = workload + " on Chicory no slower than the baseline";
        if (d.settings.baseline() == null) {
            return List.of(what + ": not evaluated (run with BENCH_BASELINE=<results.json of a run of the code before>)");
        }
        Baseline base;
        try {
            base = Baseline.read(d.settings.baseline());
        } catch (IOException | RuntimeException e) {
            return List.of(what + ": not evaluated (cannot read " + d.settings.baseline() + ": " + e.getMessage() + ")");
        }
        StringBuilder sb = new StringBuilder(what).append(String.format(Locale.ROOT, " (`%s`, within %.0f %%):",
                base.source().getFileName(), (1 - Baseline.TOLERANCE) * 100));
        boolean all = true;
        int compared = 0;
        for (HttpCases.CaseResult c : d.http.cases()) {
            HttpCases.Target t = c.target();
            if (!t.workload().equals(workload) || !t.server().equals(HttpCases.WAGI) || !t.engine().equals(HttpCases.CHICORY)) {
                continue;
            }
            double before = base.rate(t, c.connections());
            if (Double.isNaN(before) || before <= 0) {
                continue;
            }
            double f = c.wrk().requestsPerSecond() / before;
            all &= f >= Baseline.TOLERANCE;
            compared++;
            sb.append(String.format(Locale.ROOT, " c=%d %s vs %s req/s (%s);", c.connections(), Stats.rate(c.wrk().requestsPerSecond()),
                    Stats.rate(before), Stats.percent(f)));
        }
        if (compared == 0) {
            return List.of(what + ": not evaluated (the baseline has no such cases)");
        }
        sb.setLength(sb.length() - 1);
        return List.of(sb.append(" **").append(met(all)).append("**").toString());
    }

    private static String met(boolean met) {
        return met ? "met" : "not met";
    }
}
