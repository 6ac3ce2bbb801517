package dev.wagiservlet.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Payara Micro 6 (a Jakarta EE 10 web profile server with its own MicroProfile Config), started as
 * {@code java -jar payara-micro.jar --deploy ...}; the jar is the Maven artifact, copied to the
 * system property {@code payara.jar}. Every start unpacks the runtime (about 100 MB) into the fresh
 * base directory.
 *
 * <p>Payara logs "Deployed" and "ready in" even when a deployment failed; a failed one logs
 * {@link #DEPLOYMENT_FAILED}. Exploded webapps are zipped into WARs (Payara names a context after
 * its WAR; the root webapp is deployed first, with {@code --contextroot /}).
 */
final class PayaraContainer extends ServletContainer {

    /**
     * The end of "Payara Micro 6.2025.10 (build 42) ready in 8,408 (ms)", logged once the server has
     * started and has tried to deploy every webapp ("ready in" alone would also match the filter's own lines).
     */
    static final String READY = " (ms)";

    /** Logged when a deployment failed (the readiness line comes all the same). */
    static final String DEPLOYMENT_FAILED = "Exception while loading the app";

    private final List<String> wars = new ArrayList<>();
    private boolean root;

    PayaraContainer(Path jar) {
        super(jar);
    }

    @Override
    public String name() {
        return "payara";
    }

    @Override
    protected String readinessLine() {
        return READY;
    }

    @Override
    protected void prepareBase(Path base, int port) throws IOException {
        for (String dir : List.of("temp", "root", "runtime", "webapps")) {
            Files.createDirectories(base.resolve(dir));
        }
        wars.clear();
        root = false;
    }

    @Override
    protected void deployInto(Path base, String contextPath, Path source) throws IOException {
        String name = appName(contextPath, "ROOT");
        Path war = base.resolve("webapps").resolve(name + ".war");
        if (Files.isDirectory(source)) {
            zip(source, war);
        } else {
            Files.copy(source, war);
        }
        if (contextPath.isEmpty()) {
            wars.add(0, war.toString());
            root = true;
        } else {
            wars.add(war.toString());
        }
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
        cmd.add("-jar");
        cmd.add(home.toString());
        for (String war : wars) {
            cmd.add("--deploy");
            cmd.add(war);
        }
        if (root) {
            cmd.add("--contextroot");
            cmd.add("/");
        }
        cmd.addAll(List.of("--port", Integer.toString(port), "--nocluster", "--nohazelcast", "--disablephonehome",
                "--rootdir", base.resolve("root").toString(), "--unpackdir", base.resolve("runtime").toString()));
        return cmd;
    }

    private static void zip(Path dir, Path war) throws IOException {
        try (OutputStream out = Files.newOutputStream(war); ZipOutputStream zip = new ZipOutputStream(out);
                Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (Files.isRegularFile(file)) {
                    zip.putNextEntry(new ZipEntry(dir.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, zip);
                    zip.closeEntry();
                }
            }
        }
    }
}
