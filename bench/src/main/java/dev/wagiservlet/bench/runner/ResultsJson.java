package dev.wagiservlet.bench.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** results.json: the run's numbers in a form a script can compare between runs. */
final class ResultsJson {

    private ResultsJson() {}

    static void write(Path file, Report.Data d) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("started", d.started);
        root.put("command", d.command);
        root.put("seconds", d.totalNanos / 1e9);
        root.put("environment", d.environment);
        root.put("problems", d.problems);
        if (d.http != null) {
            List<Map<String, Object>> cases = new ArrayList<>();
            for (HttpCases.CaseResult c : d.http.cases()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("workload", c.target().workload());
                m.put("server", c.target().server());
                m.put("engine", c.target().engine());
                m.put("path", c.target().path());
                m.put("postBytes", c.target().body().size());
                m.put("connections", c.connections());
                m.put("requestsPerSecond", c.wrk().requestsPerSecond());
                m.put("requests", c.wrk().requests());
                m.put("seconds", c.wrk().seconds());
                m.put("p50Micros", c.wrk().p50Micros());
                m.put("p90Micros", c.wrk().p90Micros());
                m.put("p99Micros", c.wrk().p99Micros());
                m.put("maxMicros", c.wrk().maxMicros());
                m.put("meanMicros", c.wrk().meanMicros());
                m.put("errors", c.wrk().errors());
                m.put("cpuServerPercent", c.cpu().server());
                m.put("cpuWrkPercent", c.cpu().client());
                m.put("cpuOtherPercent", c.cpu().other());
                m.put("disturbed", Quiet.disturbed(c.cpu()));
                m.put("attempts", c.attempts());
                m.put("peakRssBytes", c.peakRssBytes());
                m.put("serverGcCount", c.gc().count());
                m.put("serverGcMillis", c.gc().millis());
                cases.add(m);
            }
            root.put("http", cases);
            HttpCases.CaseResult plain = Report.find(d, HttpCases.HELLO, HttpCases.PLAIN, HttpCases.NO_ENGINE, 1);
            if (plain != null) {
                Map<String, Object> overhead = new LinkedHashMap<>();
                for (HttpCases.CaseResult c : d.http.cases()) {
                    HttpCases.Target t = c.target();
                    if (t.workload().equals(HttpCases.HELLO) && !t.engine().equals(HttpCases.NO_ENGINE) && c.connections() == 1) {
                        overhead.put(t.server() + "/" + t.engine(), c.wrk().p50Micros() - plain.wrk().p50Micros());
                    }
                }
                root.put("helloOverheadP50MicrosAt1Connection", overhead);
            }
            root.put("issueTargets", IssueTargets.lines(d).stream().map(t -> t.replace("**", "")).toList());
        }
        List<Object> cold = new ArrayList<>();
        for (ColdStart.Result r : Report.coldResults(d)) {
            if (r != null) {
                cold.add(r);
            }
        }
        root.put("coldStart", cold);
        root.put("jmh", d.jmh);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
        mapper.writeValue(file.toFile(), root);
    }
}
