package dev.wagiservlet.bench.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What bench/run.sh passes to {@link BenchMain}, as system properties.
 *
 * @param benchDir the repository's bench/ folder (sources, webapps, committed modules)
 * @param workDir scratch space for this run (bench/target/work), emptied at the start
 * @param war the drop-in WAR to benchmark
 * @param modulesDir the repository's modules/wasm (hello.wasm, echo.wasm)
 * @param bigModule the ~20 MB module for the cold-start cases, or null to skip them
 * @param resultsDir where report.md, chart.png and the raw outputs go
 * @param phases which parts run: startup, http, hotdeploy, jmh
 * @param duration how long wrk drives each case
 * @param warmup how long each server is driven (unreported) before its first case
 * @param connections the connection counts
 * @param echoBytes size of the POST body of the echo cases
 * @param jmhArgs JMH's command line (benchmark selection and run lengths)
 * @param serverJavaOpts JAVA_OPTS for the Tomcat JVM (empty: its defaults)
 */
record BenchSettings(
        Path benchDir,
        Path workDir,
        Path war,
        Path modulesDir,
        Path bigModule,
        Path resultsDir,
        Set<String> phases,
        Duration duration,
        Duration warmup,
        List<Integer> connections,
        int echoBytes,
        String jmhArgs,
        String serverJavaOpts) {

    static final Set<String> ALL_PHASES = Set.of("startup", "http", "hotdeploy", "jmh");

    static BenchSettings fromSystemProperties() {
        Path benchDir = path("bench.dir", null);
        Path bigModule = path("bench.big.module", "");
        if (bigModule != null && !Files.isRegularFile(bigModule)) {
            bigModule = null;
        }
        Set<String> phases = new LinkedHashSet<>();
        for (String p : System.getProperty("bench.phases", "startup,http,hotdeploy,jmh").split("[,\\s]+")) {
            if (p.isBlank()) {
                continue;
            }
            if (p.equals("all")) {
                phases.addAll(List.of("startup", "http", "hotdeploy", "jmh"));
            } else if (p.equals("cold")) {
                phases.addAll(List.of("startup", "hotdeploy"));
            } else if (ALL_PHASES.contains(p)) {
                phases.add(p);
            } else {
                throw new IllegalArgumentException("unknown phase '" + p + "' (use startup, http, hotdeploy, jmh, cold, all)");
            }
        }
        List<Integer> connections = new ArrayList<>();
        for (String c : System.getProperty("bench.connections", "1,16,64").split("[,\\s]+")) {
            if (!c.isBlank()) {
                connections.add(Integer.parseInt(c.strip()));
            }
        }
        return new BenchSettings(
                benchDir,
                path("bench.work", benchDir.resolve("target/work").toString()),
                path("wagi.war", null),
                path("bench.modules", benchDir.resolveSibling("modules/wasm").toString()),
                bigModule,
                path("bench.results", null),
                phases,
                Duration.ofSeconds(Long.getLong("bench.duration", 10)),
                Duration.ofSeconds(Long.getLong("bench.warmup", 5)),
                List.copyOf(connections),
                Integer.getInteger("bench.echo.bytes", 64 * 1024),
                System.getProperty("bench.jmh.args", "-wi 3 -i 5 -f 1 -w 1s -r 1s -prof gc"),
                System.getProperty("bench.server.java.opts", ""));
    }

    private static Path path(String property, String fallback) {
        String value = System.getProperty(property, fallback);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (run bench/run.sh)");
        }
        if (value.isEmpty()) {
            return null;
        }
        return Path.of(value).toAbsolutePath().normalize();
    }

    boolean runs(String phase) {
        return phases.contains(phase);
    }
}
