package dev.wagiservlet.oci;

import dev.wagiservlet.cache.Sha256;
import dev.wagiservlet.config.OciReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * Which layer a reference last resolved to, so that a restart finds its module in the cache while the
 * registry is down: one small file per reference, {@code DIR/oci/<sha256 of the reference>.properties},
 * holding the reference, the manifest digest and the layer digest. Files are written to a temporary
 * name and moved into place, so a reader never sees half of one.
 */
final class OciCacheIndex {

    private final Path directory;

    /** @param directory the module cache directory; the index lives in its {@code oci} folder */
    OciCacheIndex(Path directory) {
        this.directory = directory.resolve("oci");
    }

    /**
     * What a reference resolved to.
     *
     * @param manifest the manifest's digest ({@code sha256:...})
     * @param layer the wasm layer's digest ({@code sha256:...})
     */
    record Entry(String manifest, String layer) {}

    /** The entry for a reference; empty if there is none or it cannot be read. */
    Optional<Entry> get(OciReference reference) {
        Path file = file(reference);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String layer = properties.getProperty("layer", "");
        if (!reference.toString().equals(properties.getProperty("reference")) || !Manifest.SHA256.matcher(layer).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Entry(properties.getProperty("manifest", ""), layer));
    }

    /** Records what a reference resolved to, replacing what was there. */
    void put(OciReference reference, Entry entry) throws IOException {
        Files.createDirectories(directory);
        Properties properties = new Properties();
        properties.setProperty("reference", reference.toString());
        properties.setProperty("manifest", entry.manifest());
        properties.setProperty("layer", entry.layer());
        Path temp = Files.createTempFile(directory, "index-", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                properties.store(new OutputStreamWriter(out, StandardCharsets.UTF_8), null);
            }
            Files.move(temp, file(reference), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private Path file(OciReference reference) {
        return directory.resolve(Sha256.hex(reference.toString().getBytes(StandardCharsets.UTF_8)) + ".properties");
    }
}
