package dev.wagiservlet.bench.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Facts about the machine and the software measured, for the report. */
final class Environment {

    private Environment() {}

    static Map<String, String> collect(BenchSettings settings) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores visible to the JVM");
        env.put("Memory", memTotal());
        env.put("OS", osName() + ", kernel " + System.getProperty("os.version"));
        env.put("Load average at start", firstLine(Path.of("/proc/loadavg")));
        env.put("JDK (benchmark and Tomcat)", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.runtime.version"));
        env.put("Tomcat JVM options", settings.serverJavaOpts().isBlank()
                ? "catalina.sh defaults (no -Xmx: the JVM's default maximum heap, 1/4 of RAM)" : settings.serverJavaOpts());
        env.put("Tomcat", tomcatVersion());
        env.put("Chicory (in the WAR)", chicoryVersion(settings.war()));
        env.put("wrk", Wrk.version());
        env.put("gcc (native CGI)", command("gcc", "-dumpfullversion"));
        env.put("git", git(settings.benchDir().getParent()));
        return env;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(java.util.Locale.ROOT, "%.1f GiB", kb / 1048576.0);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return "unknown";
    }

    private static String osName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException ignored) {
            // unknown
        }
        return System.getProperty("os.name");
    }

    private static String firstLine(Path file) {
        try {
            return Files.readAllLines(file).get(0).strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String tomcatVersion() {
        String home = System.getProperty("tomcat.home");
        if (home == null) {
            return "unknown";
        }
        try (ZipFile jar = new ZipFile(Path.of(home, "lib", "catalina.jar").toFile())) {
            ZipEntry e = jar.getEntry("org/apache/catalina/util/ServerInfo.properties");
            Properties p = new Properties();
            try (InputStream in = jar.getInputStream(e)) {
                p.load(in);
            }
            return p.getProperty("server.info", "unknown") + " (default server.xml as the test harness writes it: NIO connector on 127.0.0.1, AccessLogValve on)";
        } catch (IOException | RuntimeException e) {
            return Path.of(home).getFileName().toString();
        }
    }

    private static String chicoryVersion(Path war) {
        try (ZipFile zip = new ZipFile(war.toFile())) {
            return zip.stream().map(ZipEntry::getName)
                    .filter(n -> n.matches("WEB-INF/lib/(runtime|compiler)-[0-9].*\\.jar"))
                    .map(n -> n.substring("WEB-INF/lib/".length()))
                    .sorted().reduce((a, b) -> a + ", " + b).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String git(Path repo) {
        String source = System.getProperty("bench.source", "");
        if (!source.isBlank()) {
            return source;
        }
        String commit = command("git", "-C", repo.toString(), "rev-parse", "--short=12", "HEAD");
        if (commit.startsWith("unknown") || commit.contains("fatal")) {
            return "not a git checkout";
        }
        String status = command("git", "-C", repo.toString(), "status", "--porcelain", "--untracked-files=no");
        long changed = status.isBlank() || status.startsWith("unknown") ? 0 : status.lines().count();
        return commit + (changed == 0 ? " (clean)" : " with " + changed + " modified tracked file(s) in the working tree");
    }

    static String command(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "unknown (" + out.lines().findFirst().orElse("") + ")";
            }
            return out;
        } catch (IOException e) {
            return "unknown (" + command[0] + " not found)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** Keeps a list type import for callers that want ordered pairs. */
    static List<String> lines(Map<String, String> env) {
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + ": " + v));
        return out;
    }
}
