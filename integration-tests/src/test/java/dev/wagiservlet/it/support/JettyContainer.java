package dev.wagiservlet.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Eclipse Jetty 12 with the ee10 (Servlet 6) environment, started with its own {@code start.jar};
 * JETTY_HOME is the unpacked distribution, JETTY_BASE a fresh directory prepared with
 * {@code start.jar --add-modules=server,http,ee10-deploy}.
 *
 * <p>start.jar runs the server in its own JVM (no fork for these modules), so system properties given
 * as {@code -D} options of that JVM are seen by the webapps.
 */
final class JettyContainer extends ServletContainer {

    /** Logged by org.eclipse.jetty.server.Server.doStart() after the deployer has started the webapps. */
    static final String READY = "Started oejs.Server@";

    private static final String MODULES = "server,http,ee10-deploy";

    JettyContainer(Path home) {
        super(home);
    }

    @Override
    public String name() {
        return "jetty";
    }

    @Override
    protected String readinessLine() {
        return READY;
    }

    @Override
    protected void prepareBase(Path base, int port) throws IOException {
        Files.createDirectories(base.resolve("temp"));
        Files.createDirectories(base.resolve("work")); // WARs are unpacked here (else into java.io.tmpdir)
        List<String> cmd = new ArrayList<>(javaPrefix(base));
        cmd.add("--add-modules=" + MODULES);
        runTool(cmd, base, Duration.ofSeconds(60));
        Files.createDirectories(base.resolve("webapps"));
    }

    @Override
    protected void deployInto(Path base, String contextPath, Path source) throws IOException {
        copyWebapp(source, base.resolve("webapps"), appName(contextPath, "root"));
    }

    @Override
    protected List<String> command(Path base, int port, Path java, Map<String, String> systemProperties) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.add("-Djava.io.tmpdir=" + base.resolve("temp"));
        cmd.addAll(jvmOptions());
        for (Map.Entry<String, String> p : systemProperties.entrySet()) {
            cmd.add("-D" + p.getKey() + "=" + p.getValue());
        }
        cmd.add("-Djetty.home=" + home);
        cmd.add("-Djetty.base=" + base);
        cmd.add("-jar");
        cmd.add(home.resolve("start.jar").toString());
        cmd.add("jetty.http.port=" + port);
        cmd.add("jetty.http.host=127.0.0.1");
        if (readTimeoutSetting() != null) {
            cmd.add("jetty.http.idleTimeout=" + readTimeoutSetting().toMillis());
        }
        return cmd;
    }

    private List<String> javaPrefix(Path base) {
        return List.of(javaExecutable().toString(),
                "-Djetty.home=" + home, "-Djetty.base=" + base,
                "-jar", home.resolve("start.jar").toString());
    }
}
