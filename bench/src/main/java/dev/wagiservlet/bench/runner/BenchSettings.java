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
 * @param bigServerJavaOpts JAVA_OPTS added for the servers that hold the big module (a Chicory compile of it
 *                          needs several GB of heap)
 * @param hop whether the http phase also deploys the {@code module-stack-size = 0} webapp (the thread-hop comparison)
 * @param esbuildEngines the engines the big module's cases run on: the esbuild transform (http, a server each) and
 *                       the startup cold start (on Chicory: with and without background compile); empty: none
 * @param esbuildChicoryRequests requests per connection of each esbuild case on Chicory (seconds of CPU per request)
 * @param baseline results.json of an earlier run to compare the Chicory cases with, or null
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
        String serverJavaOpts,
        String bigServerJavaOpts,
        boolean hop,
        List<String> esbuildEngines,
        int esbuildChicoryRequests,
        Path baseline) {

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
        List<String> engines = new ArrayList<>();
        for (String e : System.getProperty("bench.esbuild.engines", "wasmtime,chicory").split("[,\\s]+")) {
            if (e.equals("wasmtime") || e.equals("chicory")) {
                engines.add(e);
            } else if (!e.isBlank()) {
                throw new IllegalArgumentException("unknown engine '" + e + "' in BENCH_ESBUILD_ENGINES (use wasmtime, chicory)");
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
                System.getProperty("bench.server.java.opts", ""),
                System.getProperty("bench.big.server.java.opts", "-Xmx6g"),
                !System.getProperty("bench.hop", "1").equals("0"),
                List.copyOf(engines),
                Integer.getInteger("bench.esbuild.chicory.requests", 4),
                path("bench.baseline", ""));
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

    /** JAVA_OPTS for a server that holds the big module. */
    String bigServerJavaOptsAll() {
        return (serverJavaOpts + " " + bigServerJavaOpts).strip();
    }

    boolean runs(String phase) {
        return phases.contains(phase);
    }
}
