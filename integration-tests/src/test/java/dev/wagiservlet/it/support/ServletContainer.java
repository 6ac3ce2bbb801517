package dev.wagiservlet.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.CopyOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real servlet container distribution, started as a child process with its own launcher.
 *
 * <p>Typical use in a test:
 * <pre>{@code
 * try (ServletContainer server = ServletContainer.tomcat().deploy("", war).start()) {
 *     HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/hello")).build(), ofString());
 * }
 * }</pre>
 *
 * <p>Every {@link #start()} creates a fresh base directory (CATALINA_BASE / JETTY_BASE) under the
 * system property {@code it.work.dir} (default {@code target/it-work}), so several servers can run at
 * the same time without seeing each other's state. The base directory is kept after {@link #close()}
 * for post-mortem inspection ({@code console.log} holds everything the process printed).
 *
 * <p>All waits are bounded. Servers still running when the JVM exits are stopped by a shutdown hook.
 */
public abstract class ServletContainer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ServletContainer.class.getName());

    /** Context paths this harness supports: root ("") or a single segment ("/name"). */
    private static final Pattern CONTEXT_PATH = Pattern.compile("|/[A-Za-z0-9][A-Za-z0-9._-]*");

    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 150;
    private static final int PORT_ATTEMPTS = 3;

    /** Environment variables of the test JVM that would change how the launchers behave. */
    private static final List<String> INHERITED_ENV_TO_DROP = List.of(
            "JAVA_OPTS", "JRE_HOME", "JDK_JAVA_OPTIONS",
            "CATALINA_HOME", "CATALINA_BASE", "CATALINA_OPTS", "CATALINA_TMPDIR", "CATALINA_PID",
            "CATALINA_OUT", "CATALINA_LOGGING_CONFIG", "LOGGING_CONFIG", "LOGGING_MANAGER",
            "JETTY_HOME", "JETTY_BASE", "JETTY_ARGS", "JETTY_RUN", "JETTY_STATE", "JETTY_START_LOG");

    /** The servers listen on this address only; {@link #uri} uses it too. */
    private static final InetAddress LOOPBACK = loopback();

    private static final Set<ServletContainer> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Thread hook = new Thread(ServletContainer::stopAllOnExit, "servlet-container-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private enum State { NEW, STARTING, RUNNING, CLOSED }

    protected final Path home;
    private final Map<String, Path> deployments = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    /** Jars for the container's shared class loader (Tomcat: CATALINA_BASE/lib). */
    protected final List<Path> sharedJars = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private boolean jmx;
    private int fixedPort;
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private Duration readTimeout;
    private PrintStream echo;

    private volatile State state = State.NEW;
    private volatile Process process;
    private volatile Thread drainer;
    private volatile Path base;
    private volatile Path consoleLog;
    private volatile int port = -1;
    private volatile int jmxPort = -1;

    protected ServletContainer(Path home) {
        this.home = home;
    }

    // ------------------------------------------------------------------ factories

    /** Apache Tomcat, home directory from system property {@code tomcat.home}. */
    public static ServletContainer tomcat() {
        return new TomcatContainer(homeFromProperty("tomcat.home", "bin/catalina.sh"));
    }

    /** Eclipse Jetty 12 (ee10), home directory from system property {@code jetty.home}. */
    public static ServletContainer jetty() {
        return new JettyContainer(homeFromProperty("jetty.home", "start.jar"));
    }

    /** Payara Micro 6, the runnable jar from system property {@code payara.jar}. */
    public static ServletContainer payara() {
        String value = System.getProperty("payara.jar");
        if (value == null || value.isBlank() || !Files.isRegularFile(Path.of(value))) {
            throw new IllegalStateException("System property payara.jar is not set or names no file: " + value
                    + ". Run the tests with 'mvn verify' (Failsafe sets it and copies the jar).");
        }
        return new PayaraContainer(Path.of(value).toAbsolutePath().normalize());
    }

    /** {@link #tomcat()}, {@link #jetty()} or {@link #payara()} by {@link #name()}, handy for parameterized tests. */
    public static ServletContainer of(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "tomcat": return tomcat();
            case "jetty": return jetty();
            case "payara": return payara();
            default: throw new IllegalArgumentException("Unknown servlet container: " + name + " (tomcat, jetty or payara)");
        }
    }

    private static Path homeFromProperty(String property, String marker) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set. Run the tests with"
                    + " 'mvn verify' (Failsafe sets it), or unpack the servers with"
                    + " 'mvn dependency:unpack@unpack-servers' and pass -D" + property + "=<dir>.");
        }
        Path home = Path.of(value).toAbsolutePath().normalize();
        if (!Files.exists(home.resolve(marker))) {
            throw new IllegalStateException(property + "=" + home + " is not a server distribution (no " + marker
                    + "). Unpack it with 'mvn dependency:unpack@unpack-servers'.");
        }
        return home;
    }

    // ------------------------------------------------------------------ configuration (before start)

    /** "tomcat", "jetty" or "payara". */
    public abstract String name();

    /**
     * Deploys a WAR file or an exploded webapp directory at the given context path ("" = root, else "/name").
     * The files are copied into the server's fresh base directory when {@link #start()} runs.
     */
    public ServletContainer deploy(String contextPath, Path warOrDirectory) {
        requireNew("deploy");
        if (contextPath == null || !CONTEXT_PATH.matcher(contextPath).matches()
                || contextPath.equalsIgnoreCase("/root")) {
            throw new IllegalArgumentException("Context path must be \"\" (root) or \"/name\" with one segment"
                    + " of letters, digits, '.', '_', '-' (and not /ROOT): \"" + contextPath + "\"");
        }
        Path source = warOrDirectory.toAbsolutePath().normalize();
        if (Files.isRegularFile(source)) {
            if (!source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".war")) {
                throw new IllegalArgumentException("Not a .war file: " + source);
            }
        } else if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException("No such WAR file or webapp directory: " + source);
        }
        if (deployments.putIfAbsent(contextPath, source) != null) {
            throw new IllegalArgumentException("Context path \"" + contextPath + "\" is already deployed: "
                    + deployments.get(contextPath));
        }
        return this;
    }

    /**
     * A jar for the container's shared class loader, seen by every webapp (Tomcat only:
     * CATALINA_BASE/lib). Before start().
     */
    public ServletContainer sharedJar(Path jar) {
        requireNew("sharedJar");
        if (!name().equals("tomcat")) {
            throw new UnsupportedOperationException("shared jars are only set up for Tomcat");
        }
        sharedJars.add(jar.toAbsolutePath());
        return this;
    }

    /** Extra environment variable for the server process (e.g. WAGI_MODULES_TOML). Before start(). */
    public ServletContainer env(String name, String value) {
        requireNew("env");
        environment.put(requireNonEmpty(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Extra JVM system property ({@code -Dname=value}) for the server JVM. Before start(). */
    public ServletContainer systemProperty(String name, String value) {
        requireNew("systemProperty");
        systemProperties.put(requireNonEmpty(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Extra JVM option for the server JVM, e.g. {@code -Xmx512m} or {@code -XX:SoftRefLRUPolicyMSPerMB=0}
     * (for {@code -Dname=value} use {@link #systemProperty}). Before start().
     */
    public ServletContainer jvmOption(String option) {
        requireNew("jvmOption");
        if (option == null || !option.startsWith("-")) {
            throw new IllegalArgumentException("A JVM option starts with '-': " + option);
        }
        jvmOptions.add(option);
        return this;
    }

    /**
     * Enables remote JMX in the server JVM, on 127.0.0.1 only, on a free port chosen at each launch
     * (JMX registry and RMI server on the same port), without authentication or TLS; connect with
     * {@link #jmx()}. Tomcat registers its own MBeans ({@code Catalina:*}) there too. Before start().
     */
    public ServletContainer enableJmx() {
        requireNew("enableJmx");
        this.jmx = true;
        return this;
    }

    /** Fixed port instead of a free one (the demo uses 8080). Before start(). */
    public ServletContainer port(int port) {
        requireNew("port");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Invalid port: " + port);
        }
        this.fixedPort = port;
        return this;
    }

    /** How long {@link #start()} waits for the server to finish starting (default 90 s). Before start(). */
    public ServletContainer startTimeout(Duration timeout) {
        requireNew("startTimeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("Timeout must be positive: " + timeout);
        }
        this.startTimeout = timeout;
        return this;
    }

    /**
     * How long the server waits for a client's bytes before it gives up on the connection
     * (Tomcat's {@code connectionTimeout}, Jetty's {@code idleTimeout}) instead of the
     * distribution's default (20 s, 30 s). Before start().
     */
    public ServletContainer readTimeout(Duration timeout) {
        requireNew("readTimeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("Timeout must be positive: " + timeout);
        }
        this.readTimeout = timeout;
        return this;
    }

    /** The read timeout set with {@link #readTimeout}, or null for the distribution's default. */
    protected final Duration readTimeoutSetting() {
        return readTimeout;
    }

    /** Also copies everything the server process prints to the given stream, as it comes. Before start(). */
    public ServletContainer echoOutput(PrintStream out) {
        requireNew("echoOutput");
        this.echo = out;
        return this;
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Starts the server and waits (bounded, 90 s by default) until it has finished starting and deploying.
     * A failed webapp deployment does not make this fail (the server itself started); check {@link #log()}.
     *
     * @throws IllegalStateException with the tail of the server log if the server dies or does not start in time
     */
    public synchronized ServletContainer start() {
        requireNew("start");
        state = State.STARTING;
        boolean ok = false;
        try {
            int attempts = fixedPort > 0 ? 1 : PORT_ATTEMPTS;
            for (int attempt = 1; ; attempt++) {
                long t0 = System.nanoTime();
                String failure = launchAndAwait(fixedPort > 0 ? fixedPort : freePort());
                if (failure == null) {
                    state = State.RUNNING;
                    ok = true;
                    LOG.log(Level.INFO, () -> String.format("%s started on port %d in %d ms (base %s)", name(), port,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), base));
                    return this;
                }
                stopProcess();
                String log = consoleText();
                if (isBindFailure(log) && attempt < attempts) {
                    LOG.log(Level.WARNING, "{0}: port {1} was taken by someone else, retrying with another port",
                            name(), port);
                    continue;
                }
                throw new IllegalStateException(name() + " failed to start on port " + port + ": " + failure
                        + "\nBase directory (all logs): " + base + "\n" + tail(log));
            }
        } finally {
            if (!ok) {
                stopProcess(); // no-op unless an unexpected exception (e.g. interrupt) left it running
                state = State.CLOSED;
            }
        }
    }

    /** Returns null when the server is up, else the reason why not (the process is then still to be stopped). */
    private String launchAndAwait(int chosenPort) {
        this.port = chosenPort;
        Path workDir = Path.of(System.getProperty("it.work.dir", "target/it-work")).toAbsolutePath().normalize();
        try {
            Files.createDirectories(workDir);
            base = Files.createTempDirectory(workDir, name() + "-" + chosenPort + "-");
            consoleLog = base.resolve("console.log");
            Files.createFile(consoleLog);
            prepareBase(base, chosenPort);
            for (Map.Entry<String, Path> d : deployments.entrySet()) {
                deployInto(base, d.getKey(), d.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the " + name() + " base directory under " + workDir, e);
        }

        Map<String, String> properties = new LinkedHashMap<>(systemProperties);
        if (jmx) {
            jmxPort = freePort();
            properties.putAll(jmxProperties(jmxPort));
        }
        ProcessBuilder pb = new ProcessBuilder(command(base, chosenPort, javaExecutable(), properties))
                .directory(base.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        INHERITED_ENV_TO_DROP.forEach(env::remove);
        configureEnvironment(env, base, properties);
        env.putAll(environment);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not launch " + name() + ": " + pb.command(), e);
        }
        RUNNING.add(this);
        try {
            process.getOutputStream().close(); // the server never reads stdin
        } catch (IOException ignored) {
            // nothing to do
        }
        drainer = startDrainer(process, consoleLog, echo, name() + "-output-" + chosenPort);

        long deadline = System.nanoTime() + startTimeout.toNanos();
        String ready = readinessLine();
        while (true) {
            String log = consoleText();
            if (log.contains(ready)) {
                return awaitPortOpen(deadline) ? null : "it reported readiness but port " + chosenPort + " does not accept connections";
            }
            if (!process.isAlive()) {
                joinDrainer(Duration.ofSeconds(5));
                if (consoleText().contains(ready)) {
                    continue; // printed just before exiting: the loop reports the real state
                }
                return "the process exited with code " + process.exitValue() + " before it finished starting";
            }
            if (System.nanoTime() - deadline > 0) {
                return "no '" + ready + "' in its output within " + startTimeout.toMillis() + " ms";
            }
            sleep(100);
        }
    }

    private boolean awaitPortOpen(long deadline) {
        long capped = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        long portDeadline = capped - deadline < 0 ? capped : deadline;
        while (true) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(LOOPBACK, port), 1000);
                return true;
            } catch (IOException notYet) {
                if (System.nanoTime() - portDeadline > 0) {
                    return false;
                }
                sleep(100);
            }
        }
    }

    /** True while the server process is running. */
    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive() && state == State.RUNNING;
    }

    /** The port the server listens on (127.0.0.1). */
    public int port() {
        if (port < 0) {
            if (fixedPort > 0) {
                return fixedPort;
            }
            throw new IllegalStateException(name() + " has not been started, it has no port yet");
        }
        return port;
    }

    /** {@code http://127.0.0.1:PORT} + pathAndQuery (which must start with "/"; "" means "/"). */
    public URI uri(String pathAndQuery) {
        String p = pathAndQuery == null || pathAndQuery.isEmpty() ? "/" : pathAndQuery;
        if (!p.startsWith("/")) {
            throw new IllegalArgumentException("Path must start with '/': " + pathAndQuery);
        }
        return URI.create("http://127.0.0.1:" + port() + p);
    }

    /** The port of the server JVM's JMX connector (127.0.0.1); only with {@link #enableJmx()}, after start(). */
    public int jmxPort() {
        if (!jmx) {
            throw new IllegalStateException("JMX is not enabled for " + this + "; call enableJmx() before start()");
        }
        if (jmxPort < 0) {
            throw new IllegalStateException(name() + " has not been started, it has no JMX port yet");
        }
        return jmxPort;
    }

    /**
     * A new JMX connection to the running server JVM (bounded connect, 30 s); the caller closes it.
     * Only with {@link #enableJmx()}.
     */
    public ServerJmx jmx() {
        if (!isAlive()) {
            throw new IllegalStateException("Not running: " + this);
        }
        return ServerJmx.connect(jmxPort(), Duration.ofSeconds(30));
    }

    /** The fresh base directory of the current/last start (CATALINA_BASE or JETTY_BASE), or null before start. */
    public Path baseDirectory() {
        return base;
    }

    /**
     * Everything the server process wrote to stdout/stderr so far, followed by its log files (Tomcat's
     * {@code logs/} directory), each under a {@code ==== file ====} header. Empty before start().
     */
    public String log() {
        StringBuilder sb = new StringBuilder(consoleText());
        Path b = base;
        if (b != null) {
            for (Path f : logFiles(b)) {
                try {
                    String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
                    sb.append("\n==== ").append(b.relativize(f)).append(" ====\n").append(text);
                } catch (IOException ignored) {
                    // rotated or deleted meanwhile
                }
            }
        }
        return sb.toString();
    }

    /** Waits (bounded) until {@link #log()} contains the text; returns true if it appeared. */
    public boolean awaitLog(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (log().contains(text)) {
                return true;
            }
            Process p = process;
            Thread d = drainer;
            boolean finished = p == null || (!p.isAlive() && (d == null || !d.isAlive()));
            if (finished) {
                sleep(200); // Tomcat's async file handlers may still be flushing
                return log().contains(text);
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            sleep(100);
        }
    }

    /** Stops the server (SIGTERM, then forcibly after 30 s) and waits for the process to end. Idempotent. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED && process == null) {
            return;
        }
        state = State.CLOSED;
        if (process != null) {
            long t0 = System.nanoTime();
            int stoppedPort = port;
            stopProcess();
            LOG.log(Level.INFO, () -> String.format("%s on port %d stopped in %d ms", name(), stoppedPort,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
        }
    }

    @Override
    public String toString() {
        return name() + (port > 0 ? " on port " + port : "") + " [" + state + "]";
    }

    // ------------------------------------------------------------------ container specifics

    /** Text the server prints once it has started and deployed its webapps. */
    protected abstract String readinessLine();

    /** Fills the fresh base directory (configuration, empty dirs) for a server on the given port. */
    protected abstract void prepareBase(Path base, int port) throws IOException;

    /** Copies one webapp into the base directory. */
    protected abstract void deployInto(Path base, String contextPath, Path source) throws IOException;

    /** The launch command; runs with the base directory as working directory. */
    protected abstract List<String> command(Path base, int port, Path java, Map<String, String> systemProperties);

    /** The extra JVM options ({@link #jvmOption}), for the launch command. */
    protected final List<String> jvmOptions() {
        return List.copyOf(jvmOptions);
    }

    /** Environment the launcher needs (user env() values are applied afterwards). */
    protected void configureEnvironment(Map<String, String> env, Path base, Map<String, String> systemProperties) {
    }

    /** Log files written by the server besides its console output. */
    protected List<Path> logFiles(Path base) {
        return List.of();
    }

    // ------------------------------------------------------------------ helpers for subclasses

    /** The JDK running the tests; the servers run on it too. */
    protected static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    protected static Path javaExecutable() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return javaHome().resolve("bin").resolve(windows ? "java.exe" : "java");
    }

    /** "" → rootName, "/name" → "name". */
    protected static String appName(String contextPath, String rootName) {
        return contextPath.isEmpty() ? rootName : contextPath.substring(1);
    }

    /** Copies a WAR to {@code dir/name.war} or a directory tree to {@code dir/name}. */
    protected static void copyWebapp(Path source, Path dir, String name) throws IOException {
        if (Files.isDirectory(source)) {
            copyTree(source, dir.resolve(name));
        } else {
            Files.copy(source, dir.resolve(name + ".war"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Copies a directory tree, replacing files that exist.
     *
     * @param options more copy options for the files, e.g. {@link StandardCopyOption#COPY_ATTRIBUTES}
     */
    public static void copyTree(Path from, Path to, CopyOption... options) throws IOException {
        CopyOption[] fileOptions = Arrays.copyOf(options, options.length + 1);
        fileOptions[options.length] = StandardCopyOption.REPLACE_EXISTING;
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), fileOptions);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Lists regular files in a directory, sorted by name; empty if it does not exist. */
    protected static List<Path> filesIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Runs a short helper command in the base directory, bounded; throws with its output if it fails. */
    protected static void runTool(List<String> command, Path dir, Duration timeout) throws IOException {
        Path out = Files.createTempFile(dir, "tool-", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                throw new IOException("Timed out after " + timeout.toSeconds() + " s: " + command + "\n"
                        + Files.readString(out));
            }
            if (p.exitValue() != 0) {
                throw new IOException("Exit code " + p.exitValue() + ": " + command + "\n" + Files.readString(out));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted: " + command, e);
        }
    }

    // ------------------------------------------------------------------ internals

    private void requireNew(String what) {
        if (state != State.NEW) {
            throw new IllegalStateException(what + "() must be called before start(); " + this);
        }
    }

    private static String requireNonEmpty(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return s;
    }

    private String consoleText() {
        Path f = consoleLog;
        if (f == null) {
            return "";
        }
        try {
            return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean isBindFailure(String log) {
        return log.contains("java.net.BindException") || log.contains("Address already in use")
                || log.contains("Failed to bind");
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The system properties that start the JVM's JMX agent on 127.0.0.1:port, without authentication or TLS. */
    private static Map<String, String> jmxProperties(int port) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("com.sun.management.jmxremote", "true");
        p.put("com.sun.management.jmxremote.port", Integer.toString(port));
        p.put("com.sun.management.jmxremote.rmi.port", Integer.toString(port));
        p.put("com.sun.management.jmxremote.host", "127.0.0.1");
        p.put("com.sun.management.jmxremote.local.only", "true");
        p.put("com.sun.management.jmxremote.authenticate", "false");
        p.put("com.sun.management.jmxremote.ssl", "false");
        p.put("java.rmi.server.hostname", "127.0.0.1");
        return p;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(LOOPBACK, 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port", e);
        }
    }

    private static Thread startDrainer(Process p, Path file, PrintStream echo, String threadName) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = p.getInputStream();
                 OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                    if (echo != null) {
                        echo.write(buf, 0, n);
                        echo.flush();
                    }
                }
            } catch (IOException e) {
                // the stream is closed when the process is gone
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void joinDrainer(Duration timeout) {
        Thread d = drainer;
        if (d != null) {
            try {
                d.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Graceful stop, then forcibly; includes the process's descendants. Bounded. */
    private void stopProcess() {
        Process p = process;
        if (p == null) {
            return;
        }
        try {
            terminate(List.of(p.toHandle()), p, STOP_TIMEOUT);
            joinDrainer(Duration.ofSeconds(5));
        } finally {
            RUNNING.remove(this);
            process = null;
        }
    }

    /** Sends SIGTERM to the processes and their descendants, waits up to gracePeriod, then kills what is left. */
    private static void terminate(List<ProcessHandle> roots, Process anyProcessToReap, Duration gracePeriod) {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle root : roots) {
            all.addAll(root.descendants().toList()); // before the parent goes and they get re-parented
            all.add(root);
        }
        all.forEach(ProcessHandle::destroy);
        boolean interrupted = false;
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        for (ProcessHandle h : all) {
            interrupted |= awaitExit(h, deadline);
        }
        if (all.stream().anyMatch(ProcessHandle::isAlive)) {
            LOG.log(Level.WARNING, "Server processes did not stop within {0} s, killing them", gracePeriod.toSeconds());
            all.forEach(ProcessHandle::destroyForcibly);
            long killDeadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
            for (ProcessHandle h : all) {
                interrupted |= awaitExit(h, killDeadline);
            }
        }
        if (anyProcessToReap != null) {
            try {
                anyProcessToReap.waitFor(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns true if interrupted while waiting. Keeps waiting regardless, so nothing is left behind. */
    private static boolean awaitExit(ProcessHandle h, long deadline) {
        boolean interrupted = false;
        while (h.isAlive() && System.nanoTime() - deadline < 0) {
            try {
                long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                h.onExit().get(ms, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (TimeoutException | ExecutionException e) {
                // loop re-checks
            }
        }
        return interrupted;
    }

    private static void stopAllOnExit() {
        List<ServletContainer> running = new ArrayList<>(RUNNING);
        if (running.isEmpty()) {
            return;
        }
        List<ProcessHandle> handles = new ArrayList<>();
        for (ServletContainer c : running) {
            Process p = c.process;
            if (p != null) {
                handles.add(p.toHandle());
                System.err.println("[servlet-container] JVM exiting: stopping " + c.name() + " on port " + c.port);
            }
        }
        terminate(handles, null, Duration.ofSeconds(20));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the server", e);
        }
    }

    private static String tail(String log) {
        String[] lines = log.split("\r?\n", -1);
        int from = Math.max(0, lines.length - LOG_TAIL_LINES);
        StringBuilder sb = new StringBuilder("---- server log");
        sb.append(from > 0 ? " (last " + LOG_TAIL_LINES + " of " + lines.length + " lines)" : "").append(" ----\n");
        for (int i = from; i < lines.length; i++) {
            sb.append(lines[i]).append('\n');
        }
        return sb.append("---- end of server log ----").toString();
    }

    /** The last lines of the server's console output (which includes its log records), for assertion messages. */
    public String logTail() {
        return tail(consoleText());
    }
}
