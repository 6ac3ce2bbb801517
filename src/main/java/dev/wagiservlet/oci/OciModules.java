package dev.wagiservlet.oci;

import dev.wagiservlet.cache.Sha256;
import dev.wagiservlet.config.ConfigException;
import dev.wagiservlet.config.OciReference;
import dev.wagiservlet.config.OciSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Modules configured by {@code oci:} reference: the first {@code application/vnd.wasm.content.layer.v1+wasm}
 * layer of the manifest the reference names, checked against its digest and kept in the module cache
 * directory by that digest ({@code DIR/<sha256>.wasm}, as {@code http(s):} downloads are), with an
 * {@link OciCacheIndex} from reference to digest. At every start a tag is asked of the registry again
 * (tags move); a digest reference already in the cache is not. A registry that cannot be reached (or
 * answers 5xx) leaves the cached copy serving, with a warning; without one the deployment fails.
 * Plain HTTP only for the registries {@link OciSettings#insecureRegistries()} lists.
 */
public final class OciModules {

    private static final System.Logger LOG = System.getLogger(OciModules.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Path directory;
    private final OciSettings settings;
    private final Map<String, String> environment;
    private final String userHome;
    private final OciCacheIndex index;

    /** With the process's environment ({@code DOCKER_CONFIG}) and home directory. */
    public OciModules(Path directory, OciSettings settings) {
        this(directory, settings, System.getenv(), System.getProperty("user.home", ""));
    }

    OciModules(Path directory, OciSettings settings, Map<String, String> environment, String userHome) {
        this.directory = directory;
        this.settings = settings;
        this.environment = Map.copyOf(environment);
        this.userHome = userHome;
        this.index = new OciCacheIndex(directory);
    }

    /**
     * The file of the module a reference names.
     *
     * @param sha256 the route's expected SHA-256 of the module, if configured
     * @param where the configuration key, for messages
     * @throws ConfigException naming {@code where} and the reference, if there is no module to serve
     */
    public Path fetch(OciReference reference, Optional<String> sha256, String where) {
        Optional<OciCacheIndex.Entry> cached = index.get(reference).filter(entry -> isIntact(byDigest(entry.layer()), entry.layer()));
        Path file;
        if (reference.digest().isPresent() && cached.isPresent()) {
            file = byDigest(cached.get().layer());
        } else {
            try {
                file = pull(reference);
            } catch (RegistryUnavailable e) {
                if (cached.isEmpty()) {
                    throw new ConfigException(where + ": cannot pull " + reference + ": " + e.getMessage()
                            + "; and it is not in the module cache " + directory);
                }
                file = byDigest(cached.get().layer());
                LOG.log(Level.WARNING, "{0}: cannot pull {1} ({2}); serving the cached copy {3} (layer {4})", where, reference,
                        e.getMessage(), file, cached.get().layer());
            } catch (IOException e) {
                throw new ConfigException(where + ": cannot pull " + reference + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConfigException(where + ": interrupted while pulling " + reference);
            }
        }
        String hex = file.getFileName().toString().replace(".wasm", "");
        if (sha256.isPresent() && !sha256.get().equals(hex)) {
            throw new ConfigException(where + ": " + reference + " has SHA-256 " + hex + ", not the configured " + sha256.get());
        }
        return file;
    }

    private Path pull(OciReference reference) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Files.createDirectories(directory);
        String scheme = settings.isInsecure(reference.registry()) ? "http" : "https";
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(CONNECT_TIMEOUT).build();
        RegistryClient client = new RegistryClient(http, URI.create(scheme + "://" + reference.apiHost()), reference.repository(),
                credentials(reference.registry()), TIMEOUT);

        RegistryClient.Fetched fetched = client.manifest(reference.manifestReference());
        String manifestDigest = checkedManifest(fetched, reference.digest(), reference.manifestReference());
        Manifest manifest = Manifest.parse(fetched.body(), fetched.contentType());
        if (manifest.isIndex()) {
            Manifest list = manifest;
            Manifest.Descriptor chosen = list.wasmManifest().orElseThrow(() -> new IOException("the index " + manifestDigest
                    + " lists " + list.manifests().size() + " manifests and none for architecture wasm; name one by digest"));
            fetched = client.manifest(chosen.digest());
            String digest = checkedManifest(fetched, Optional.of(chosen.digest()), chosen.digest());
            manifest = Manifest.parse(fetched.body(), fetched.contentType());
            if (manifest.isIndex()) {
                throw new IOException("the index lists another index, " + digest + ", not an image manifest");
            }
        }
        Manifest image = manifest;
        Manifest.Descriptor layer = image.wasmLayer().orElseThrow(() -> new IOException("the manifest has no layer of media type "
                + Manifest.WASM_LAYER + " (its layers: " + image.layerTypes() + ")"));
        if (!Manifest.SHA256.matcher(layer.digest()).matches()) {
            throw new IOException("the wasm layer's digest " + layer.digest() + " is not sha256: and 64 hex digits");
        }
        Path file = byDigest(layer.digest());
        boolean downloaded = false;
        if (!isIntact(file, layer.digest())) {
            download(client, layer, file);
            downloaded = true;
        }
        index.put(reference, new OciCacheIndex.Entry(manifestDigest, layer.digest()));
        LOG.log(Level.INFO, "Pulled {0} (layer {1}, {2} bytes{3}) in {4} ms to {5}", reference, layer.digest(),
                Long.toString(Files.size(file)), downloaded ? "" : ", already cached",
                Long.toString(Duration.ofNanos(System.nanoTime() - start).toMillis()), file);
        return file;
    }

    /** The manifest's digest, which must be the expected one if there is one. */
    private static String checkedManifest(RegistryClient.Fetched fetched, Optional<String> expected, String asked) throws IOException {
        String digest = "sha256:" + Sha256.hex(fetched.body());
        if (expected.isPresent() && !expected.get().equals(digest)) {
            throw new IOException("digest mismatch: the manifest asked for as " + asked + " has digest " + digest);
        }
        return digest;
    }

    private void download(RegistryClient client, Manifest.Descriptor layer, Path file) throws IOException, InterruptedException {
        Path partial = Files.createTempFile(directory, "pull-", ".part");
        try {
            MessageDigest digest = Sha256.digest();
            try (InputStream body = new DigestInputStream(client.blob(layer.digest()), digest)) {
                Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
            } catch (RegistryUnavailable e) {
                throw e;
            } catch (IOException e) {
                throw new RegistryUnavailable("the download of layer " + layer.digest() + " broke off: " + e.getMessage(), e);
            }
            String actual = "sha256:" + HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(layer.digest())) {
                throw new IOException("digest mismatch: the layer " + layer.digest() + " arrived with digest " + actual);
            }
            if (layer.size() >= 0 && Files.size(partial) != layer.size()) {
                throw new IOException("the layer " + layer.digest() + " has " + Files.size(partial) + " bytes, the manifest says "
                        + layer.size());
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The credentials for a registry: its entry in the Docker config.json, else oci-username/oci-password. */
    Optional<Credentials> credentials(String registry) throws IOException {
        String configured = settings.dockerConfig().orElse("");
        if (!configured.equalsIgnoreCase("off")) {
            Path file = configured.isEmpty() ? DockerConfig.defaultLocation(environment, userHome) : Path.of(configured);
            if (!configured.isEmpty() && !Files.isRegularFile(file)) {
                throw new IOException("the Docker config " + file + " (oci-docker-config) does not exist");
            }
            Optional<Credentials> fromFile = DockerConfig.credentials(file, registry);
            if (fromFile.isPresent()) {
                return fromFile;
            }
        }
        return settings.username().map(user -> new Credentials(user, settings.password().orElse("")));
    }

    private boolean isIntact(Path file, String digest) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), Sha256.digest())) {
            MessageDigest md = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(OutputStream.nullOutputStream());
            return digest.equals("sha256:" + HexFormat.of().formatHex(md.digest()));
        } catch (IOException e) {
            return false;
        }
    }

    private Path byDigest(String digest) {
        return directory.resolve(digest.substring("sha256:".length()) + ".wasm");
    }
}
