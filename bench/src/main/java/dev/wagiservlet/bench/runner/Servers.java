package dev.wagiservlet.bench.runner;

import dev.wagiservlet.it.support.ServletContainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Builds what the benchmark deploys and starts Tomcat through the integration-test harness. */
final class Servers {

    static final String PLAIN_SERVLET = "dev.wagiservlet.bench.servlet.PlainBenchServlet";
    /** The routes of the main server's modules.toml that run on wasmtime start with this. */
    static final String WASMTIME_PREFIX = "/wt";
    /** The context path of the thread-hop comparison's webapp (bench/webapps/nohop). */
    static final String NOHOP_CONTEXT = "/nohop";

    /**
     * One [[module]] of a modules.toml the benchmark writes.
     *
     * @param engine the route's {@code engine} key, or null for the default (Chicory)
     * @param timeout the route's {@code timeout} key (e.g. {@code 120s}), or null for the default (30 s)
     */
    record Route(String route, Path module, String engine, String timeout) {
        Route(String route, Path module, String engine) {
            this(route, module, engine, null);
        }
    }

    private Servers() {}

    /**
     * Tomcat with only the WAR, at the root, for the big module: its JAVA_OPTS add
     * {@link BenchSettings#bigServerJavaOpts}, and the filter keeps compiled code in {@code codeCache}
     * (a fresh, empty folder: a cold start). Not started.
     */
    static ServletContainer bigModuleServer(BenchSettings settings, Path toml, int port, Path codeCache) throws IOException {
        deleteTree(codeCache);
        Files.createDirectories(codeCache);
        ServletContainer server = configure(ServletContainer.tomcat().enableJmx().deploy("", settings.war()), settings, toml, port);
        server.env("WAGI_CODE_CACHE_DIR", codeCache.toString());
        String opts = settings.bigServerJavaOptsAll();
        if (!opts.isBlank()) {
            server.env("JAVA_OPTS", opts);
        }
        return server;
    }

    /**
     * Tomcat with the WAR at the root, the plain servlet at /plain, CGIServlet at /cgi and, if not null,
     * the thread-hop comparison's webapp at {@link #NOHOP_CONTEXT}. Not started.
     */
    static ServletContainer sideBySide(BenchSettings settings, Path toml, Path plain, Path cgi, Path nohop, int port) throws IOException {
        // the modules.toml is the root webapp's alone (an init-param), not every webapp's (WAGI_MODULES_TOML): /nohop, on the
        // request threads (module-stack-size 0), cannot mount its wasmtime routes
        ServletContainer server = ServletContainer.tomcat().enableJmx().deploy("", rootWebapp(settings, toml))
                .deploy("/plain", plain).deploy("/cgi", cgi);
        if (nohop != null) {
            server.deploy(NOHOP_CONTEXT, nohop);
        }
        return configure(server, settings, port);
    }

    private static ServletContainer configure(ServletContainer server, BenchSettings settings, Path toml, int port) {
        return configure(server.env("WAGI_MODULES_TOML", toml.toString()), settings, port);
    }

    private static ServletContainer configure(ServletContainer server, BenchSettings settings, int port) {
        server.port(port).startTimeout(Duration.ofMinutes(5));
        if (!settings.serverJavaOpts().isBlank()) {
            server.env("JAVA_OPTS", settings.serverJavaOpts());
        }
        return server;
    }

    /** The WAR's contents, its filter given the modules.toml by the init-param {@code modules-toml}. */
    static Path rootWebapp(BenchSettings settings, Path toml) throws IOException {
        Path dir = settings.workDir().resolve("webapps/root");
        unzip(settings.war(), dir);
        Path webXml = dir.resolve("WEB-INF/web.xml");
        String filterClass = "<filter-class>dev.wagiservlet.filter.WagiFilter</filter-class>";
        String xml = Files.readString(webXml);
        if (!xml.contains(filterClass)) {
            throw new IOException(webXml + " has no " + filterClass);
        }
        Files.writeString(webXml, xml.replace(filterClass, filterClass + "\n    <init-param><param-name>modules-toml</param-name><param-value>"
                + toml + "</param-value></init-param>"));
        return dir;
    }

    /** The server's Tomcat JVM (matched by its catalina.base), once it runs. */
    static Optional<ProcessHandle> tomcatOf(ServletContainer server) {
        Path base = server.baseDirectory();
        if (base == null) {
            return Optional.empty();
        }
        String marker = "-Dcatalina.base=" + base;
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .findFirst();
    }

    /**
     * The main server's routes besides the WAR's own (/hello, /echo, /env/...): rust-1m, echo and the Go
     * example on Chicory, and hello, rust-1m and the Go example again on wasmtime under {@link #WASMTIME_PREFIX}.
     */
    static List<Route> mainRoutes(BenchSettings settings) {
        Path hello = settings.modulesDir().resolve("hello.wasm");
        Path rust = settings.benchDir().resolve("wasm/rust-1m.wasm");
        Path go = goModule(settings);
        return List.of(
                new Route("/rust", rust, null),
                new Route("/bench/echo", settings.modulesDir().resolve("echo.wasm"), null),
                new Route("/go", go, null),
                new Route(WASMTIME_PREFIX + "/hello", hello, "wasmtime"),
                new Route(WASMTIME_PREFIX + "/rust", rust, "wasmtime"),
                new Route(WASMTIME_PREFIX + "/go", go, "wasmtime"));
    }

    /** The Go example handler (examples/go/hello.wasm, committed). */
    static Path goModule(BenchSettings settings) {
        return settings.benchDir().getParent().resolve("examples/go/hello.wasm");
    }

    /** The startup case's routes: rust-1m and echo on Chicory, and the big module at /esbuild on {@code engine}. */
    static List<Route> startupRoutes(BenchSettings settings, String engine) {
        return List.of(
                new Route("/rust", settings.benchDir().resolve("wasm/rust-1m.wasm"), null),
                new Route("/bench/echo", settings.modulesDir().resolve("echo.wasm"), null),
                new Route("/esbuild", settings.bigModule(), engine));
    }

    /** Writes a modules.toml of these routes (module paths absolute). */
    static Path writeToml(Path file, List<Route> routes) throws IOException {
        StringBuilder toml = new StringBuilder("# Written by the benchmark (bench/run.sh); the WAR's own routes are /hello, /echo and /env/...\n");
        for (Route r : routes) {
            if (!Files.isRegularFile(r.module())) {
                throw new IllegalStateException("module not found: " + r.module());
            }
            toml.append("\n[[module]]\nroute = \"").append(r.route()).append("\"\nmodule = \"")
                    .append(r.module().toString().replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
            if (r.engine() != null) {
                toml.append("engine = \"").append(r.engine()).append("\"\n");
            }
            if (r.timeout() != null) {
                toml.append("timeout = \"").append(r.timeout()).append("\"\n");
            }
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, toml, StandardCharsets.UTF_8);
        return file;
    }

    /** /plain: bench/webapps/plain plus the compiled servlet class. */
    static Path plainWebapp(BenchSettings settings) throws IOException {
        Path dir = settings.workDir().resolve("webapps/plain");
        ServletContainer.copyTree(settings.benchDir().resolve("webapps/plain"), dir, StandardCopyOption.COPY_ATTRIBUTES);
        String resource = PLAIN_SERVLET.replace('.', '/') + ".class";
        Path target = dir.resolve("WEB-INF/classes").resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = Servers.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path (mvn -Pbench package compiles it)");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }

    /**
     * /cgi: bench/webapps/cgi plus the very sources of hello.wasm and echo.wasm, modules/c/{hello,echo}.c,
     * compiled natively with gcc into WEB-INF/cgi: the same handlers, as CGI programs.
     */
    static Path cgiWebapp(BenchSettings settings) throws IOException, InterruptedException {
        Path dir = settings.workDir().resolve("webapps/cgi");
        ServletContainer.copyTree(settings.benchDir().resolve("webapps/cgi"), dir, StandardCopyOption.COPY_ATTRIBUTES);
        Path bin = Files.createDirectories(dir.resolve("WEB-INF/cgi"));
        for (String name : List.of("hello", "echo")) {
            run(List.of("gcc", "-O2", "-Wall", "-o", bin.resolve(name).toString(),
                    settings.benchDir().getParent().resolve("modules/c/" + name + ".c").toString()));
        }
        return dir;
    }

    /** /cold: the WAR's contents with bench/webapps/cold/WEB-INF/web.xml naming the big module. */
    static Path coldWebapp(BenchSettings settings) throws IOException {
        Path dir = settings.workDir().resolve("webapps/cold");
        unzip(settings.war(), dir);
        String webXml = Files.readString(settings.benchDir().resolve("webapps/cold/WEB-INF/web.xml"))
                .replace("@BIG_MODULE@", settings.bigModule().toString().replace("&", "&amp;").replace("<", "&lt;"));
        Files.writeString(dir.resolve("WEB-INF/web.xml"), webXml);
        return dir;
    }

    /**
     * /nohop: the WAR's contents with bench/webapps/nohop/WEB-INF/web.xml, whose filter has
     * {@code module-stack-size = 0} (modules run on the container's request thread) and the WAR's
     * /hello route: beside the root webapp (the default stack size), the cost of the thread hop.
     */
    static Path nohopWebapp(BenchSettings settings) throws IOException {
        Path dir = settings.workDir().resolve("webapps/nohop");
        unzip(settings.war(), dir);
        Files.copy(settings.benchDir().resolve("webapps/nohop/WEB-INF/web.xml"), dir.resolve("WEB-INF/web.xml"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(settings.benchDir().resolve("wasm/rust-1m.wasm"), dir.resolve("WEB-INF/wasm/rust-1m.wasm"),
                StandardCopyOption.REPLACE_EXISTING);
        return dir;
    }

    /** After the harness copied the webapps: make sure the CGI programs are still executable. */
    static void fixCgiPermissions(ServletContainer server) throws IOException {
        Path bin = server.baseDirectory().resolve("webapps/cgi/WEB-INF/cgi");
        try (var files = Files.list(bin)) {
            for (Path f : files.toList()) {
                if (!Files.isExecutable(f) && !f.toFile().setExecutable(true)) {
                    throw new IOException("cannot make " + f + " executable");
                }
            }
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("failed: " + String.join(" ", command) + "\n" + out);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void unzip(Path zip, Path to) throws IOException {
        Files.createDirectories(to);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path target = to.resolve(e.getName()).normalize();
                if (!target.startsWith(to)) {
                    throw new IOException("bad entry in " + zip + ": " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
