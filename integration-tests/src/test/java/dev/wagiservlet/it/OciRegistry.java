package dev.wagiservlet.it;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real OCI registry for the tests: Debian's {@code docker-registry} (CNCF distribution), started as
 * {@code docker-registry serve config.yml} on a free loopback port with storage in a directory, with
 * or without htpasswd authentication; and a push of a wasm module as wagi and wasm-to-oci publish one
 * (config {@code application/vnd.wasm.config.v1+json}, one layer {@code application/vnd.wasm.content.layer.v1+wasm},
 * OCI image manifest). A missing binary fails the test, naming the package.
 */
final class OciRegistry implements AutoCloseable {

    /** The user and password of a registry started with authentication. */
    static final String USER = "wagi";
    static final String PASSWORD = "wagi-secret-1";
    /** {@code htpasswd -Bbn wagi wagi-secret-1}: the registry takes bcrypt only; fixed here so the tests need no htpasswd. */
    private static final String HTPASSWD = "wagi:$2y$05$BLhmK45xFIfbDsw6hIjZE.mZvj/Txh.jOS2O7cO7jdvfee6MwuiHO\n";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newHttpClient();
    private final Path dir;
    private final int port;
    private final boolean authenticated;
    private Process process;

    private OciRegistry(Path dir, int port, boolean authenticated) {
        this.dir = dir;
        this.port = port;
        this.authenticated = authenticated;
    }

    /** Starts a registry storing in {@code dir}; with htpasswd authentication ({@link #USER}) if asked. */
    static OciRegistry start(Path dir, boolean authenticated) throws IOException, InterruptedException {
        OciRegistry registry = new OciRegistry(dir, freePort(), authenticated);
        registry.start();
        return registry;
    }

    /** The {@code docker-registry} binary; fails (does not skip) if it is not installed. */
    static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "docker-registry");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("docker-registry is not installed: the OCI integration tests need a real registry."
                + " On Debian: apt-get install -y docker-registry (.ci/run installs it)");
    }

    private void start() throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("storage"));
        String auth = "";
        if (authenticated) {
            Files.writeString(dir.resolve("htpasswd"), HTPASSWD);
            auth = """
                    auth:
                      htpasswd:
                        realm: wagi-test
                        path: %s
                    """.formatted(dir.resolve("htpasswd"));
        }
        Path config = Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                %s""".formatted(dir.resolve("storage"), port, auth));
        process = new ProcessBuilder(binary().toString(), "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile())).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                int status = http.send(HttpRequest.newBuilder(uri("/v2/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new AssertionError("docker-registry did not start on port " + port + ":\n" + log());
            }
            Thread.sleep(100);
        }
    }

    /** {@code 127.0.0.1:PORT}, as an oci: reference names it. */
    String host() {
        return "127.0.0.1:" + port;
    }

    String log() {
        try {
            return Files.readString(dir.resolve("registry.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private URI uri(String path) {
        return URI.create("http://" + host() + path);
    }

    /**
     * Pushes a module as {@code repository:tag}.
     *
     * @return the manifest's digest
     */
    String push(String repository, String tag, byte[] module) throws IOException, InterruptedException {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String configDigest = upload(repository, config);
        String layerDigest = upload(repository, module);
        byte[] manifest = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "config":{"mediaType":"application/vnd.wasm.config.v1+json","digest":"%s","size":%d},
                 "layers":[{"mediaType":"application/vnd.wasm.content.layer.v1+wasm","digest":"%s","size":%d,
                            "annotations":{"org.opencontainers.image.title":"module.wasm"}}]}
                """.formatted(configDigest, config.length, layerDigest, module.length).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        expect(201, put, "manifest PUT");
        return "sha256:" + sha256(manifest);
    }

    private String upload(String repository, byte[] blob) throws IOException, InterruptedException {
        String digest = "sha256:" + sha256(blob);
        HttpResponse<String> post = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(202, post, "blob upload POST");
        String location = post.headers().firstValue("Location").orElseThrow();
        URI target = uri("/").resolve(location);
        URI put = URI.create(target + (target.getRawQuery() == null ? "?" : "&") + "digest=" + digest);
        expect(201, send(HttpRequest.newBuilder(put).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob))), "blob upload PUT");
        return digest;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (authenticated) {
            request.header("Authorization", "Basic " + base64(USER + ":" + PASSWORD));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void expect(int status, HttpResponse<String> response, String what) {
        if (response.statusCode() != status) {
            throw new AssertionError(what + " to " + host() + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** A Docker config.json with credentials for this registry. */
    Path dockerConfig(Path dir, String password) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"" + host() + "\":{\"auth\":\""
                + base64(USER + ":" + password) + "\"}}}");
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    /** Stops the registry (its storage stays). */
    @Override
    public void close() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    Optional<Process> process() {
        return Optional.ofNullable(process);
    }
}
