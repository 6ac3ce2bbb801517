package dev.wagiservlet.bench.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The http cases of an earlier run's results.json (BENCH_BASELINE), to compare this run's Chicory cases
 * with: "no slower than today". Runs from before the engine column count as Chicory for the filter.
 *
 * @param source the file read
 * @param requestsPerSecond by {@link #key}
 */
record Baseline(Path source, Map<String, Double> requestsPerSecond) {

    /** How close to the baseline's requests/s a case must come to count as "no slower" (run-to-run spread). */
    static final double TOLERANCE = 0.95;

    static Baseline read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Map<String, Double> rates = new HashMap<>();
        for (JsonNode c : root.path("http")) {
            String server = c.path("server").asText();
            String engine = c.path("engine").asText(server.startsWith(HttpCases.WAGI) ? HttpCases.CHICORY : HttpCases.NO_ENGINE);
            rates.put(key(c.path("workload").asText(), server, engine, c.path("connections").asInt()), c.path("requestsPerSecond").asDouble());
        }
        return new Baseline(file, rates);
    }

    static String key(String workload, String server, String engine, int connections) {
        return workload + "|" + server + "|" + engine + "|" + connections;
    }

    /** The baseline's requests/s of that case, or NaN if it has none. */
    double rate(HttpCases.Target t, int connections) {
        return requestsPerSecond.getOrDefault(key(t.workload(), t.server(), t.engine(), connections), Double.NaN);
    }
}
