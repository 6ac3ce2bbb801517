package dev.wagiservlet.filter;

import dev.wagiservlet.config.ConfigException;
import dev.wagiservlet.config.Location;
import jakarta.servlet.ServletContext;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Turns configured locations into files: host files as they are; webapp resources through the
 * container's unpacked webapp, or, for a WAR served without unpacking, as a copy in the webapp's
 * temporary directory.
 */
final class WebappFiles {

    private final ServletContext context;

    WebappFiles(ServletContext context) {
        this.context = context;
    }

    /**
     * @param location what configuration named
     * @param where the configuration key, for the message
     * @throws ConfigException if there is no such file
     */
    Path file(Location location, String where) {
        Path path = location instanceof Location.WebappResource resource
                ? webappFile(resource.path(), where)
                : ((Location.HostFile) location).path();
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(where + ": file not found: " + describe(location, path));
        }
        return path;
    }

    /** Like {@link #file} for a directory (a volume). */
    Path directory(Location location, String where) {
        Path path;
        if (location instanceof Location.WebappResource resource) {
            String real = context.getRealPath(resource.path());
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
        String real = context.getRealPath(resource);
        if (real != null && Files.isRegularFile(Path.of(real))) {
            return Path.of(real);
        }
        try (InputStream in = context.getResourceAsStream(resource)) {
            if (in == null) {
                return Path.of(real == null ? resource : real);
            }
            File temp = (File) context.getAttribute(ServletContext.TEMPDIR);
            Path copy = temp.toPath().resolve("wagi-resources" + resource);
            Files.createDirectories(copy.getParent());
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read webapp resource " + resource + ": " + e, e);
        }
    }

    private static String describe(Location location, Path path) {
        return location instanceof Location.WebappResource ? location + " (" + path + ")" : path.toString();
    }
}
