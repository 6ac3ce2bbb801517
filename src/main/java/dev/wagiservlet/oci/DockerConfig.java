package dev.wagiservlet.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials from a Docker {@code config.json}, read as wagi and the docker CLI read it:
 * {@code auths.REGISTRY.auth} holds base64 {@code user:password} (or the entry has {@code username}
 * and {@code password}). A registry key may be written as {@code host:port} or as a URL
 * ({@code https://index.docker.io/v1/}); Docker Hub's several names are one. Credential helpers
 * ({@code credsStore}, {@code credHelpers}) are not run: a warning says so.
 */
final class DockerConfig {

    private static final System.Logger LOG = System.getLogger(DockerConfig.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerConfig() {}

    /** {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}, as the docker CLI looks. */
    static Path defaultLocation(Map<String, String> environment, String userHome) {
        String dir = environment.get("DOCKER_CONFIG");
        return dir != null && !dir.isBlank() ? Path.of(dir, "config.json") : Path.of(userHome, ".docker", "config.json");
    }

    /**
     * The credentials the file holds for a registry; empty if the file does not exist or has none.
     *
     * @throws IOException if the file cannot be read or is not a Docker config (the message names it)
     */
    static Optional<Credentials> credentials(Path file, String registry) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException(file + " is not a Docker config.json: " + e.getMessage(), e);
        }
        String wanted = normalize(registry);
        JsonNode auths = root.path("auths");
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (normalize(entry.getKey()).equals(wanted)) {
                Optional<Credentials> credentials = credentials(entry.getValue(), file, entry.getKey());
                if (credentials.isPresent()) {
                    return credentials;
                }
            }
        }
        if (root.path("credHelpers").has(registry) || root.hasNonNull("credsStore")) {
            LOG.log(Level.WARNING, "{0} names a credential helper for {1}; wagi-servlet does not run credential helpers:"
                    + " put the credentials in auths, or set oci-username and oci-password", file, registry);
        }
        return Optional.empty();
    }

    private static Optional<Credentials> credentials(JsonNode entry, Path file, String key) throws IOException {
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": auths." + key + ".auth is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IOException(file + ": auths." + key + ".auth is not base64 of user:password");
            }
            return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        if (entry.hasNonNull("username") && entry.hasNonNull("password")) {
            return Optional.of(new Credentials(entry.get("username").asText(), entry.get("password").asText()));
        }
        return Optional.empty();
    }

    /** {@code https://Index.Docker.io/v1/} becomes {@code docker.io}; {@code host:port} stays. */
    static String normalize(String registry) {
        String r = registry.trim().toLowerCase(Locale.ROOT);
        int scheme = r.indexOf("://");
        if (scheme >= 0) {
            r = r.substring(scheme + 3);
        }
        int slash = r.indexOf('/');
        if (slash >= 0) {
            r = r.substring(0, slash);
        }
        return switch (r) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
            default -> r;
        };
    }
}
