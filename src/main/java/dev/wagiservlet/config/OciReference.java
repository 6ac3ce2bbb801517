package dev.wagiservlet.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A module in an OCI registry, as written after {@code oci:}: {@code registry[:port]/name[:tag][@sha256:hex]}
 * (also {@code oci://registry[:port]/name:tag}). Read as Docker reads image references, like wagi 0.8:
 * without a registry (the first part has no {@code .} or {@code :} and is not {@code localhost}) it is
 * Docker Hub, where a one-part name lives under {@code library/}; without tag nor digest the tag is
 * {@code latest}. A digest pins the manifest: the tag, if also given, is then only a label.
 *
 * @param registry {@code host[:port]}, lower case, e.g. {@code ghcr.io} or {@code 127.0.0.1:5000}
 * @param repository the name inside the registry, e.g. {@code example/hello}
 * @param tag the tag, if given (or {@code latest} when there is no digest)
 * @param digest the manifest digest, {@code sha256:} and 64 hex digits, if given
 */
public record OciReference(String registry, String repository, Optional<String> tag, Optional<String> digest) {

    /** Docker Hub, which references without a registry name. */
    public static final String DOCKER_HUB = "docker.io";

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern REGISTRY = Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+])(?::[0-9]{1,5})?");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    public OciReference {
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = Optional.of("latest");
        }
    }

    /**
     * Reads the text of an {@code oci:} reference.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static OciReference parse(String text) {
        if (!text.regionMatches(true, 0, "oci:", 0, 4)) {
            throw new IllegalArgumentException("'" + text + "' is not an oci: reference");
        }
        String rest = text.substring(4);
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            String d = rest.substring(at + 1);
            if (!DIGEST.matcher(d).matches()) {
                throw new IllegalArgumentException("'" + text + "': the digest must be sha256: and 64 lower-case hex digits, not '" + d + "'");
            }
            digest = Optional.of(d);
            rest = rest.substring(0, at);
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            String t = rest.substring(colon + 1);
            if (!TAG.matcher(t).matches()) {
                throw new IllegalArgumentException("'" + text + "': '" + t + "' is not a valid tag");
            }
            tag = Optional.of(t);
            rest = rest.substring(0, colon);
        }
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
                if (!REGISTRY.matcher(first).matches()) {
                    throw new IllegalArgumentException("'" + text + "': '" + first + "' is not a registry host[:port]");
                }
                registry = first.toLowerCase(Locale.ROOT);
                rest = rest.substring(slash + 1);
            }
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' names no repository; expected oci:registry/name:tag");
        }
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("'" + text + "': '" + rest
                        + "' is not a repository name (lower-case letters, digits, '.', '_', '-', parts separated by '/')");
            }
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        return new OciReference(registry, rest, tag, digest);
    }

    /** What the manifest is asked for by: the digest if given, else the tag. */
    public String manifestReference() {
        return digest.orElseGet(tag::orElseThrow);
    }

    /** The host (and port) to send API requests to: Docker Hub's API lives at {@code registry-1.docker.io}. */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    /** The canonical text, {@code oci:registry/name[:tag][@digest]}: the cache index's key. */
    @Override
    public String toString() {
        return "oci:" + registry + "/" + repository + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }
}
