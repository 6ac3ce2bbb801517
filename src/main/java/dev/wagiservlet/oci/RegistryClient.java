package dev.wagiservlet.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The two requests of the OCI distribution API that a pull needs, {@code GET /v2/NAME/manifests/REF}
 * and {@code GET /v2/NAME/blobs/DIGEST}, for one repository. Anonymous first; on {@code 401} it answers
 * the registry's challenge once: {@code Basic} with the credentials, {@code Bearer} by asking the
 * challenge's realm for a token (with the credentials as Basic authentication if there are any, else
 * anonymously) and sending that. Redirects (registries send blobs from storage elsewhere) are followed,
 * and an {@code Authorization} header goes only to the registry's own scheme, host and port.
 */
final class RegistryClient {

    /** An image manifest larger than this is refused (the OCI distribution spec's suggested limit). */
    static final int MAX_MANIFEST_SIZE = 4 * 1024 * 1024;
    private static final int MAX_REDIRECTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final String repository;
    private final Optional<Credentials> credentials;
    private final Duration timeout;
    private String authorization;

    /**
     * @param base {@code https://host[:port]} (or {@code http://} for an insecure registry)
     * @param credentials sent when the registry asks for them
     */
    RegistryClient(HttpClient http, URI base, String repository, Optional<Credentials> credentials, Duration timeout) {
        this.http = http;
        this.base = base;
        this.repository = repository;
        this.credentials = credentials;
        this.timeout = timeout;
    }

    /** A manifest's bytes and Content-Type. */
    record Fetched(byte[] body, String contentType) {}

    /** The manifest {@code reference} (tag or digest) names. */
    Fetched manifest(String reference) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = get(URI.create(base + "/v2/" + repository + "/manifests/" + reference), Manifest.ACCEPT);
        try (InputStream body = response.body()) {
            expectOk(response, "manifest " + reference);
            byte[] bytes = body.readNBytes(MAX_MANIFEST_SIZE + 1);
            if (bytes.length > MAX_MANIFEST_SIZE) {
                throw new IOException("the manifest is larger than " + MAX_MANIFEST_SIZE + " bytes");
            }
            return new Fetched(bytes, response.headers().firstValue("Content-Type").orElse(""));
        }
    }

    /** The blob's content; the caller closes it (and checks its digest). */
    InputStream blob(String digest) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = get(URI.create(base + "/v2/" + repository + "/blobs/" + digest), "*/*");
        try {
            expectOk(response, "blob " + digest);
        } catch (IOException e) {
            response.body().close();
            throw e;
        }
        return response.body();
    }

    private void expectOk(HttpResponse<InputStream> response, String what) throws IOException {
        int status = response.statusCode();
        if (status == 200) {
            return;
        }
        if (status >= 500 || status == 429) {
            throw new RegistryUnavailable(base + " answered HTTP " + status + " for the " + what, null);
        }
        if (status == 401 || status == 403) {
            throw new IOException(base + " refused access to " + repository + " (HTTP " + status + ")"
                    + (credentials.isPresent() ? " with the credentials of user '" + credentials.get().username() + "'"
                            : "; no credentials are configured for it (oci-username/oci-password, or a Docker config.json)"));
        }
        if (status == 404) {
            throw new IOException(base + " has no " + what + " in " + repository + " (HTTP 404)");
        }
        throw new IOException(base + " answered HTTP " + status + " for the " + what + " of " + repository);
    }

    /** A GET, answering one challenge if the registry sends one. */
    private HttpResponse<InputStream> get(URI uri, String accept) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = follow(uri, accept);
        if (response.statusCode() != 401) {
            return response;
        }
        response.body().close();
        Optional<Challenge> challenge = response.headers().firstValue("WWW-Authenticate").flatMap(Challenge::parse);
        if (challenge.isEmpty()) {
            throw new IOException(base + " answered 401 without a WWW-Authenticate challenge");
        }
        authorization = authorize(challenge.get());
        return follow(uri, accept);
    }

    /** The {@code Authorization} value that answers a challenge. */
    String authorize(Challenge challenge) throws IOException, InterruptedException {
        if (challenge.isBasic()) {
            return credentials.orElseThrow(() -> new IOException(base + " asks for credentials (Basic) to read " + repository
                    + " and none are configured (oci-username/oci-password, or a Docker config.json)")).basic();
        }
        if (!challenge.isBearer()) {
            throw new IOException(base + " asks for authentication scheme '" + challenge.scheme() + "', which is not supported"
                    + " (Basic and Bearer are)");
        }
        String realm = challenge.parameters().get("realm");
        if (realm == null || realm.isBlank()) {
            throw new IOException(base + " sent a Bearer challenge without a realm");
        }
        URI realmUri;
        try {
            realmUri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new IOException(base + " sent a Bearer challenge with a bad realm '" + realm + "'");
        }
        return "Bearer " + token(tokenUri(realmUri, challenge), realmUri);
    }

    /** The token request: the realm with {@code service} and {@code scope} (the challenge's, else pull on the repository). */
    URI tokenUri(URI realm, Challenge challenge) {
        StringBuilder query = new StringBuilder();
        String service = challenge.parameters().get("service");
        if (service != null) {
            query.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
        }
        String scope = challenge.parameters().getOrDefault("scope", "repository:" + repository + ":pull");
        query.append(query.isEmpty() ? "" : "&").append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        String r = realm.toString();
        return URI.create(r + (r.contains("?") ? "&" : "?") + query);
    }

    private String token(URI uri, URI realm) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
        // Credentials go to a token service over HTTPS, or to the registry's own (insecure, allowed) origin.
        boolean safe = "https".equalsIgnoreCase(realm.getScheme()) || sameOrigin(realm);
        if (credentials.isPresent() && safe) {
            request.header("Authorization", credentials.get().basic());
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RegistryUnavailable("cannot reach the token service " + uri + ": " + e, e);
        }
        if (response.statusCode() >= 500) {
            throw new RegistryUnavailable("the token service " + realm + " answered HTTP " + response.statusCode(), null);
        }
        if (response.statusCode() != 200) {
            throw new IOException("the token service " + realm + " refused a token to read " + repository + " (HTTP "
                    + response.statusCode() + ")" + (credentials.isPresent() ? " for user '" + credentials.get().username() + "'"
                            : "; no credentials are configured for " + base.getAuthority()));
        }
        JsonNode json = JSON.readTree(response.body());
        String token = json.path("token").asText(json.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new IOException("the token service " + realm + " answered without a token");
        }
        return token;
    }

    /** A GET, following redirects; the Authorization header only to the registry's own origin. */
    private HttpResponse<InputStream> follow(URI uri, String accept) throws IOException, InterruptedException {
        URI current = uri;
        for (int redirects = 0; ; redirects++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current).timeout(timeout).header("Accept", accept);
            if (authorization != null && sameOrigin(current)) {
                request.header("Authorization", authorization);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new RegistryUnavailable("cannot reach " + base + ": " + e, e);
            }
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (status / 100 != 3 || status == 304 || location.isEmpty()) {
                return response;
            }
            response.body().close();
            if (redirects >= MAX_REDIRECTS) {
                throw new IOException(base + ": more than " + MAX_REDIRECTS + " redirects for " + uri);
            }
            URI next = current.resolve(location.get());
            if ("http".equalsIgnoreCase(next.getScheme()) && "https".equalsIgnoreCase(current.getScheme())) {
                throw new IOException(base + " redirected from HTTPS to plain HTTP: " + next);
            }
            current = next;
        }
    }

    private boolean sameOrigin(URI uri) {
        return base.getScheme().equalsIgnoreCase(uri.getScheme()) && base.getAuthority().equalsIgnoreCase(uri.getAuthority());
    }
}
