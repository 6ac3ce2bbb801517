package dev.wagiservlet.core;

import dev.wagiservlet.cache.Sha256;
import dev.wagiservlet.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Modules configured by {@code http:} or {@code https:} URL: downloaded once and kept on disk by
 * the SHA-256 of their content ({@code DIR/<sha256>.wasm}), so a restart does not download them
 * again. A route's {@code sha256} is checked against what arrives, and a module already on disk
 * with that hash is used without any download.
 */
final class ModuleDownloads {

    private static final System.Logger LOG = System.getLogger(ModuleDownloads.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;

    ModuleDownloads(Path directory) {
        this.directory = directory;
    }

    Path fetch(URI url, Optional<String> sha256, String where) {
        try {
            Files.createDirectories(directory.resolve("urls"));
            if (sha256.isPresent() && Files.isRegularFile(byHash(sha256.get()))) {
                return byHash(sha256.get());
            }
            Path index = directory.resolve("urls").resolve(Sha256.hex(url.toString().getBytes(StandardCharsets.UTF_8)));
            if (sha256.isEmpty() && Files.isRegularFile(index)) {
                Path cached = byHash(Files.readString(index).trim());
                if (Files.isRegularFile(cached)) {
                    return cached;
                }
            }
            Path file = download(url, sha256, where);
            Files.writeString(index, file.getFileName().toString().replace(".wasm", ""));
            return file;
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot download " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException(where + ": interrupted while downloading " + url);
        }
    }

    private Path download(URI url, Optional<String> sha256, String where) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(TIMEOUT).build();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(url).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Path partial = Files.createTempFile(directory, "download-", ".part");
        try {
            MessageDigest digest = Sha256.digest();
            try (InputStream body = new DigestInputStream(response.body(), digest)) {
                if (response.statusCode() != 200) {
                    throw new ConfigException(where + ": cannot download " + url + ": HTTP status " + response.statusCode());
                }
                Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (sha256.isPresent() && !sha256.get().equals(actual)) {
                throw new ConfigException(where + ": " + url + " has SHA-256 " + actual + ", not the configured " + sha256.get());
            }
            Path file = byHash(actual);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.log(Level.INFO, "Downloaded {0} ({1} bytes) in {2} ms to {3}", url, Long.toString(Files.size(file)),
                    Long.toString(Duration.ofNanos(System.nanoTime() - start).toMillis()), file);
            return file;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private Path byHash(String sha256) {
        return directory.resolve(sha256 + ".wasm");
    }
}
