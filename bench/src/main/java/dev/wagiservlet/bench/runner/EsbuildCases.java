package dev.wagiservlet.bench.runner;

import dev.wagiservlet.it.support.ServerJmx;
import dev.wagiservlet.it.support.ServletContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The esbuild transform under wrk, one engine at a time, each in a Tomcat of its own (the WAR with
 * one more route, {@code /esbuild}, on that engine): the big module's compile, its heap (gigabytes on
 * Chicory) and its seconds of CPU per request never touch the small cases' numbers. The filter
 * compiles the module in its init, so the server is up only once it is compiled; the response check
 * then waits for the first answer before wrk starts.
 */
final class EsbuildCases {

    /** The esbuild route's {@code timeout}: the load's timeout is 120 s on Chicory. */
    static final String ROUTE_TIMEOUT = "120s";

    private EsbuildCases() {}

    /** Runs the esbuild cases of {@code engine}; the server's log goes to raw/tomcat-esbuild-ENGINE-console.log.gz. */
    static HttpCases.Outcome run(BenchSettings settings, String engine, Wrk wrk, Path rawDir) throws IOException, InterruptedException {
        Path dir = settings.workDir().resolve("esbuild-" + engine);
        Path input = Files.createDirectories(dir).resolve("input.js");
        Files.write(input, ColdStart.ESBUILD_INPUT);
        // 4 transforms at once on Chicory take 4 x 3.5 s of CPU on 2 cores, longer on a busy machine: past the default 30 s timeout
        Path toml = Servers.writeToml(dir.resolve("modules.toml"),
                List.of(new Servers.Route("/esbuild", settings.bigModule(), engine, ROUTE_TIMEOUT)));
        int port = Servers.freePort();
        ServletContainer server = Servers.bigModuleServer(settings, toml, port, dir.resolve("code-cache"));
        try {
            long launched = System.nanoTime();
            server.start();
            System.out.println("[http] esbuild on " + engine + ": Tomcat up (module compiled) " + Stats.seconds(System.nanoTime() - launched)
                    + " s after launch");
            ProcessHandle tomcat = Servers.tomcatOf(server).orElseThrow(() -> new IllegalStateException("cannot find the Tomcat process"));
            try (ServerJmx jmx = server.jmx()) {
                return HttpCases.run(List.of(HttpCases.esbuildTarget(settings, engine, input)), port, tomcat, () -> GcPauses.of(jmx), wrk,
                        rawDir);
            }
        } finally {
            server.close();
            Path console = server.baseDirectory() == null ? null : server.baseDirectory().resolve("console.log");
            if (console != null && Files.exists(console)) {
                LogSummary.gzip(console, rawDir.resolve("tomcat-esbuild-" + engine + "-console.log.gz"));
            }
        }
    }
}
