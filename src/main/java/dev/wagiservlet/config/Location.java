package dev.wagiservlet.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * Where a module, a volume or a modules.toml lives: a file on the host, a resource inside the
 * webapp ({@code /WEB-INF/...}), a class path resource ({@code classpath:...}), an
 * {@code http(s):} URL or a module in an OCI registry ({@code oci:...}). The servlet layer turns
 * each into a file when it loads it.
 */
public sealed interface Location {

    /** A file on the host file system. */
    record HostFile(Path path) implements Location {
        public HostFile {
            path = path.toAbsolutePath().normalize();
        }

        @Override
        public Location resolve(String relative) {
            Path parent = path.getParent();
            return new HostFile(parent == null ? Path.of(relative) : parent.resolve(relative));
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** A resource on the webapp's class path ({@code classpath:wasm/hello.wasm}). */
    record ClasspathResource(String name) implements Location {
        @Override
        public Location resolve(String relative) {
            String dir = name.substring(0, name.lastIndexOf('/') + 1);
            return new ClasspathResource(normalize(dir + relative).substring(1));
        }

        @Override
        public String toString() {
            return "classpath:" + name;
        }
    }

    /** A module to download from an {@code http:} or {@code https:} URL. */
    record RemoteUrl(URI uri) implements Location {
        @Override
        public Location resolve(String relative) {
            return new RemoteUrl(uri.resolve(relative));
        }

        @Override
        public String toString() {
            return uri.toString();
        }
    }

    /** A module in an OCI registry ({@code oci:ghcr.io/example/hello:1.0}); see {@link OciReference}. */
    record OciImage(OciReference reference) implements Location {
        @Override
        public Location resolve(String relative) {
            throw new IllegalArgumentException("'" + relative + "' cannot be resolved against " + reference
                    + ": nothing is relative to a module in a registry");
        }

        @Override
        public String toString() {
            return reference.toString();
        }
    }

    /** A resource of the webapp, by its path from the webapp root (starting with {@code /}). */
    record WebappResource(String path) implements Location {
        @Override
        public Location resolve(String relative) {
            return new WebappResource(normalize(path.substring(0, path.lastIndexOf('/') + 1) + relative));
        }

        @Override
        public String toString() {
            return "webapp:" + path;
        }
    }

    /**
     * Removes {@code .}, {@code ..} and empty segments from a webapp path, taking every other
     * character literally (webapp paths are not URIs: a space or {@code %} is part of the name).
     */
    static String normalize(String path) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                if (segments.pollLast() == null) {
                    throw new IllegalArgumentException("'" + path + "' leads outside the webapp");
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        return "/" + String.join("/", segments);
    }

    /** The webapp root, against which relative paths in web.xml resolve. */
    Location WEBAPP_ROOT = new WebappResource("/");

    Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");

    /** A location relative to this one (its sibling, for a file). */
    Location resolve(String relative);

    /**
     * Parses a reference as written in configuration: a {@code file:}, {@code http:} or
     * {@code https:} URL, an {@code oci:} reference, a {@code classpath:} resource, an absolute path, a webapp resource
     * ({@code /WEB-INF/...}) or a path relative to {@code base}.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    static Location parse(String text, Location base) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the reference is empty");
        }
        if (text.regionMatches(true, 0, "file:", 0, 5)) {
            try {
                return new HostFile(Path.of(URI.create(text)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + text + "' is not a valid file: URL (" + e.getMessage() + ")");
            }
        }
        if (text.regionMatches(true, 0, "classpath:", 0, 10)) {
            String name = normalize(text.substring(10)).substring(1);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' names no class path resource");
            }
            return new ClasspathResource(name);
        }
        if (text.regionMatches(true, 0, "http:", 0, 5) || text.regionMatches(true, 0, "https:", 0, 6)) {
            try {
                URI uri = new URI(text);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("'" + text + "' has no host");
                }
                return new RemoteUrl(uri);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'" + text + "' is not a valid URL: " + e.getMessage());
            }
        }
        if (text.regionMatches(true, 0, "oci:", 0, 4)) {
            return new OciImage(OciReference.parse(text));
        }
        if (text.regionMatches(true, 0, "bindle:", 0, 7)) {
            throw new IllegalArgumentException("'" + text + "' is not supported: Bindle is retired (deislabs/bindle is archived);"
                    + " publish the module to an OCI registry and name it oci:registry/name:tag, or use a file or an https: URL");
        }
        if (SCHEME.matcher(text).find()) {
            throw new IllegalArgumentException("'" + text + "' is not supported;"
                    + " use a file path, a file:, https: or oci: URL, a classpath: resource or a /WEB-INF/ resource");
        }
        if (text.startsWith("/WEB-INF/")) {
            return new WebappResource(normalize(text));
        }
        Path path = Path.of(text);
        return path.isAbsolute() ? new HostFile(path) : base.resolve(text);
    }
}
