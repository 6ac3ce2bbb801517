package dev.wagiservlet.bench.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the JMH benchmarks (bench/jmh) in a child JVM and reads its JSON results. */
final class Jmh {

    /**
     * @param benchmark class.method
     * @param params JMH parameters, "name=value" joined
     * @param score the primary score
     * @param error its 99.9 % error
     * @param unit e.g. us/op
     * @param allocBytesPerOp allocated bytes per operation (gc profiler), or NaN
     */
    record Row(String benchmark, String params, double score, double error, String unit, double allocBytesPerOp) {}

    private Jmh() {}

    static List<Row> run(BenchSettings settings, Path resultsDir) throws IOException, InterruptedException {
        Path json = resultsDir.resolve("jmh.json");
        Path text = resultsDir.resolve("jmh.txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dbench.dir=" + settings.benchDir(),
                "-Dbench.modules=" + settings.modulesDir(),
                "org.openjdk.jmh.Main"));
        for (String arg : settings.jmhArgs().strip().split("\\s+")) {
            if (!arg.isEmpty()) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-rf", "json", "-rff", json.toString()));
        System.out.println("[jmh] " + String.join(" ", command.subList(3, command.size())));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        try (InputStream in = p.getInputStream(); OutputStream log = Files.newOutputStream(text)) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                log.write(buf, 0, n);
                System.out.write(buf, 0, n);
                System.out.flush();
            }
        }
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("JMH failed (exit " + (p.isAlive() ? "none" : p.exitValue()) + "), see " + text);
        }
        return read(json);
    }

    static List<Row> read(Path json) throws IOException {
        List<Row> rows = new ArrayList<>();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        for (JsonNode b : root) {
            String name = b.path("benchmark").asText();
            String[] parts = name.split("\\.");
            String shortName = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : name;
            StringBuilder params = new StringBuilder();
            JsonNode ps = b.path("params");
            for (Iterator<Map.Entry<String, JsonNode>> it = ps.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.append(params.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue().asText());
            }
            JsonNode primary = b.path("primaryMetric");
            double alloc = Double.NaN;
            for (Iterator<Map.Entry<String, JsonNode>> it = b.path("secondaryMetrics").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    alloc = e.getValue().path("score").asDouble();
                }
            }
            rows.add(new Row(shortName, params.toString(), primary.path("score").asDouble(),
                    primary.path("scoreError").asDouble(Double.NaN), primary.path("scoreUnit").asText(), alloc));
        }
        return rows;
    }
}
