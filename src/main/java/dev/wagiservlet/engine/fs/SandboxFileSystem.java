package dev.wagiservlet.engine.fs;

import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One volume: a host directory seen as a file system whose root {@code /} is that directory. */
final class SandboxFileSystem extends FileSystem {

    /** The host directory, with every symbolic link in it resolved. */
    final Path realRoot;
    /** The host directory as it was given (absolute, normalized); symbolic links may point at it. */
    final Path givenRoot;
    final boolean writable;
    private final SandboxPath root;

    SandboxFileSystem(Path realRoot, Path givenRoot, boolean writable) {
        this.realRoot = realRoot;
        this.givenRoot = givenRoot;
        this.writable = writable;
        this.root = new SandboxPath(this, true);
    }

    SandboxPath root() {
        return root;
    }

    /** The volume path of a host path at or below {@link #realRoot}. */
    SandboxPath toVolumePath(Path host) {
        Path relative = realRoot.relativize(host);
        List<String> names = new ArrayList<>();
        for (Path name : relative) {
            if (!name.toString().isEmpty()) {
                names.add(name.toString());
            }
        }
        return new SandboxPath(this, true, names.toArray(new String[0]));
    }

    @Override
    public FileSystemProvider provider() {
        return SandboxProvider.INSTANCE;
    }

    /** Does nothing: a volume holds nothing open. */
    @Override
    public void close() {}

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return !writable;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(root);
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return FileSystems.getDefault().supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return SandboxPath.parse(this, first, more);
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        throw new UnsupportedOperationException("path matchers are not supported on volumes");
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("user principals are not supported on volumes");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("volumes cannot be watched");
    }

    @Override
    public String toString() {
        return (writable ? "writable" : "read-only") + " volume " + realRoot;
    }
}
