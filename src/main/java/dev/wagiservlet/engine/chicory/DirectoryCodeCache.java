package dev.wagiservlet.engine.chicory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Chicory's compiled code for each module, kept in a directory by the module's digest, so a
 * restart (or a second webapp with the same modules) loads the bytecode instead of compiling it
 * again. The directory holds executable code: it must be writable only by the server's user.
 *
 * <p>Files are {@code <digest>.code.jar} ({@link CodeArchive}); the {@code <digest>.classes} files
 * of earlier versions, which lack the list of interpreted functions, are not read (and may be deleted).
 */
final class DirectoryCodeCache {

    private static final String SUFFIX = ".code.jar";

    private final Path directory;

    DirectoryCodeCache(Path directory) {
        this.directory = directory;
    }

    /** The entry for the key, or null if there is none. */
    byte[] get(String key) throws IOException {
        try {
            return Files.readAllBytes(location(key));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Writes the entry for the key, replacing any there (one that could not be read). Readers see
     * the old file or the new one whole, never part of one.
     */
    void put(String key, byte[] data) throws IOException {
        Files.createDirectories(directory);
        Path partial = Files.createTempFile(directory, "partial-", ".tmp");
        try {
            Files.write(partial, data);
            Files.move(partial, location(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The key's file. Digests are hex or base64; anything else in a key is replaced, so a key never leaves the directory. */
    Path location(String key) {
        return directory.resolve(key.replaceAll("[^A-Za-z0-9_-]", "_") + SUFFIX);
    }
}
