package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.compiler.Cache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Chicory's compiled code for each module, kept in a directory by the module's digest, so a
 * restart (or a second webapp with the same modules) loads the bytecode instead of compiling it
 * again. The directory holds executable code: it must be writable only by the server's user.
 */
final class DirectoryCodeCache implements Cache {

    private final Path directory;

    DirectoryCodeCache(Path directory) {
        this.directory = directory;
    }

    @Override
    public byte[] get(String key) throws IOException {
        try {
            return Files.readAllBytes(file(key));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void putIfAbsent(String key, byte[] data) throws IOException {
        Path file = file(key);
        if (Files.exists(file)) {
            return;
        }
        Files.createDirectories(directory);
        Path partial = Files.createTempFile(directory, "partial-", ".tmp");
        try {
            Files.write(partial, data);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Digests are hex or base64; anything else in a name is replaced, so a key never leaves the directory. */
    private Path file(String key) {
        return directory.resolve(key.replaceAll("[^A-Za-z0-9_-]", "_") + ".classes");
    }
}
