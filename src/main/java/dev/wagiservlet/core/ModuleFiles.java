package dev.wagiservlet.core;

import dev.wagiservlet.config.ConfigException;
import dev.wagiservlet.config.Location;
import dev.wagiservlet.oci.OciModules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Turns configured locations into files: host files as they are; webapp resources through the
 * container's unpacked webapp (or, for a WAR served without unpacking, as a copy in the webapp's
 * temporary directory); class path resources as such a copy; URLs through {@link ModuleDownloads};
 * {@code oci:} references through {@link OciModules}.
 */
final class ModuleFiles {

    private final Webapp webapp;
    private final ModuleDownloads downloads;
    private final OciModules oci;

    ModuleFiles(Webapp webapp, ModuleDownloads downloads, OciModules oci) {
        this.webapp = webapp;
        this.downloads = downloads;
        this.oci = oci;
    }

    /**
     * The file of a module (or a modules.toml).
     *
     * @param location what configuration named
     * @param sha256 the expected hash of a download, if configured
     * @param where the configuration key, for the message
     * @throws ConfigException if there is no such file
     */
    Path file(Location location, Optional<String> sha256, String where) {
        Path path;
        if (location instanceof Location.HostFile file) {
            path = file.path();
        } else if (location instanceof Location.WebappResource resource) {
            path = webappFile(resource.path(), where);
        } else if (location instanceof Location.ClasspathResource resource) {
            path = classpathFile(resource.name(), where);
        } else if (location instanceof Location.OciImage image) {
            return oci.fetch(image.reference(), sha256, where);
        } else {
            return downloads.fetch(((Location.RemoteUrl) location).uri(), sha256, where);
        }
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(where + ": file not found: " + describe(location, path));
        }
        return path;
    }

    /** The directory of a volume. */
    Path directory(Location location, String where) {
        Path path;
        if (location instanceof Location.WebappResource resource) {
            String real = webapp.realPath(resource.path());
            if (real == null) {
                throw new ConfigException(where + ": " + location + " is inside a packed WAR; volumes need a directory on disk");
            }
            path = Path.of(real);
        } else {
            path = ((Location.HostFile) location).path();
        }
        if (!Files.isDirectory(path)) {
            throw new ConfigException(where + ": directory not found: " + describe(location, path));
        }
        return path;
    }

    private Path webappFile(String resource, String where) {
        String real = webapp.realPath(resource);
        if (real != null && Files.isRegularFile(Path.of(real))) {
            return Path.of(real);
        }
        try (InputStream in = webapp.resource(resource)) {
            return in == null ? Path.of(real == null ? resource : real) : copy(in, "webapp" + resource);
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read webapp resource " + resource + ": " + e, e);
        }
    }

    private Path classpathFile(String name, String where) {
        try (InputStream in = webapp.classLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new ConfigException(where + ": class path resource not found: " + name);
            }
            return copy(in, "classpath/" + name);
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read class path resource " + name + ": " + e, e);
        }
    }

    private Path copy(InputStream in, String name) throws IOException {
        Path copy = webapp.tempDirectory().resolve("wagi-resources").resolve(name);
        Files.createDirectories(copy.getParent());
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }

    private static String describe(Location location, Path path) {
        return location instanceof Location.HostFile ? path.toString() : location + " (" + path + ")";
    }
}
