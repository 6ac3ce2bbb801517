package dev.wagiservlet.engine.fs;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.wagiservlet.engine.fs.SandboxedDirectory.Refusal;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Carries out file operations on volume paths by mapping them to host paths below the volume's
 * root, and refuses what would reach outside it or write to a read-only volume. One instance serves
 * every volume, so a rename from one writable volume to another is a plain host rename.
 *
 * <p>Every operation resolves its path on the host first:
 * <ul>
 *   <li>one that follows symbolic links takes the path's real path ({@link Path#toRealPath}), which
 *       must lie below the root's real path, and then works on that real path with
 *       {@code NOFOLLOW_LINKS}, so a link swapped in for the last name afterwards is not followed;</li>
 *   <li>one that acts on a name itself (lstat, unlink, rename, mkdir, symlink, create) takes the real
 *       path of its parent directory, which must lie below the root, plus the name.</li>
 * </ul>
 */
final class SandboxProvider extends FileSystemProvider {

    static final String SCHEME = "wagi-volume";
    static final SandboxProvider INSTANCE = new SandboxProvider();
    /** How many links O_CREAT follows before giving up, as Linux's MAXSYMLINKS. */
    private static final int MAX_LINKS = 40;

    private SandboxProvider() {}

    static boolean followLinks(LinkOption... options) {
        return !Arrays.asList(options).contains(NOFOLLOW_LINKS);
    }

    /**
     * The host path a volume path stands for, checked to lie below the volume's root.
     *
     * @param follow resolve every symbolic link (the result has none), or only those before the last name
     * @throws NoSuchFileException if it (or, with {@code follow} false, its parent) does not exist, or
     *     lies outside the volume ({@link OutsideVolumeException})
     */
    Path hostPath(SandboxPath path, boolean follow) throws IOException {
        SandboxFileSystem fs = path.fs;
        List<String> names = path.namesBelowRoot();
        Path lexical = below(fs, names, path);
        if (follow) {
            Path real = lexical.toRealPath();
            if (!real.startsWith(fs.realRoot)) {
                throw refuse(Refusal.OUTSIDE, path);
            }
            return real;
        }
        if (names.isEmpty()) {
            return fs.realRoot;
        }
        Path parent = lexical.getParent().toRealPath();
        if (!parent.startsWith(fs.realRoot)) {
            throw refuse(Refusal.OUTSIDE, path);
        }
        return parent.resolve(lexical.getFileName());
    }

    /** The root joined with names, without touching the disk; names the host would read as more than one name are refused. */
    private static Path below(SandboxFileSystem fs, List<String> names, SandboxPath forMessage) throws IOException {
        Path lexical = fs.realRoot;
        for (String name : names) {
            lexical = lexical.resolve(name);
        }
        if (lexical.getNameCount() != fs.realRoot.getNameCount() + names.size()
                || !lexical.normalize().equals(lexical) || !lexical.startsWith(fs.realRoot)) {
            throw refuse(Refusal.OUTSIDE, forMessage);
        }
        return lexical;
    }

    /**
     * The host path to open with O_CREAT: the existing file (followed), or a new name in a directory
     * inside; a dangling link creates its target, if that lies inside.
     */
    private Path hostPathForCreation(SandboxPath path) throws IOException {
        for (int links = 0; links < MAX_LINKS; links++) {
            try {
                return hostPath(path, true);
            } catch (OutsideVolumeException e) {
                throw e;
            } catch (NoSuchFileException e) {
                // not there, or a dangling link
            }
            Path entry = hostPath(path, false);
            if (!Files.isSymbolicLink(entry)) {
                return entry;
            }
            path = (SandboxPath) readSymbolicLink(path);
        }
        throw new FileSystemException(path.toString(), null, "too many levels of symbolic links");
    }

    private static void checkWritable(SandboxPath path) throws IOException {
        if (!path.fs.writable) {
            throw refuse(Refusal.READ_ONLY, path);
        }
    }

    private static void checkNotRoot(SandboxPath path) throws IOException {
        if (path.namesBelowRoot().isEmpty()) {
            throw refuse(Refusal.OUTSIDE, path);
        }
    }

    private static IOException refuse(Refusal refusal, SandboxPath path) {
        SandboxedDirectory.record(refusal);
        return refusal == Refusal.READ_ONLY
                ? new ReadOnlyVolumeException(path.toString())
                : new OutsideVolumeException(path.toString());
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("volumes are made by SandboxedDirectory.of");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        throw new FileSystemNotFoundException(uri.toString());
    }

    @Override
    public Path getPath(URI uri) {
        throw new FileSystemNotFoundException(uri.toString());
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return newFileChannel(path, options, attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        SandboxPath p = SandboxPath.of(path);
        boolean create = options.contains(StandardOpenOption.CREATE) || options.contains(StandardOpenOption.CREATE_NEW);
        if (create
                || options.contains(StandardOpenOption.WRITE)
                || options.contains(StandardOpenOption.APPEND)
                || options.contains(StandardOpenOption.TRUNCATE_EXISTING)
                || options.contains(StandardOpenOption.DELETE_ON_CLOSE)) {
            checkWritable(p);
        }
        Path host;
        if (options.contains(NOFOLLOW_LINKS) || options.contains(StandardOpenOption.CREATE_NEW)) {
            host = hostPath(p, false);
        } else if (create) {
            host = hostPathForCreation(p);
        } else {
            host = hostPath(p, true);
        }
        Set<OpenOption> hostOptions = new HashSet<>(options);
        hostOptions.add(NOFOLLOW_LINKS);
        return FileChannel.open(host, hostOptions, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        SandboxPath d = SandboxPath.of(dir);
        DirectoryStream<Path> host = Files.newDirectoryStream(hostPath(d, true));
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                Iterator<Path> entries = host.iterator();
                return new Iterator<>() {
                    private Path next;

                    @Override
                    public boolean hasNext() {
                        while (next == null && entries.hasNext()) {
                            Path candidate = d.resolve(entries.next().getFileName().toString());
                            try {
                                if (filter.accept(candidate)) {
                                    next = candidate;
                                }
                            } catch (IOException e) {
                                throw new DirectoryIteratorException(e);
                            }
                        }
                        return next != null;
                    }

                    @Override
                    public Path next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        Path result = next;
                        next = null;
                        return result;
                    }
                };
            }

            @Override
            public void close() throws IOException {
                host.close();
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        SandboxPath d = SandboxPath.of(dir);
        checkWritable(d);
        Files.createDirectory(hostPath(d, false), attrs);
    }

    /**
     * Creates a link whose target is the host path of {@code target} below the root, written as an
     * absolute host path: wherever the link is moved later, it points at the same place inside. A
     * relative target is taken relative to the link's directory.
     */
    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        SandboxPath l = SandboxPath.of(link);
        SandboxPath t = SandboxPath.of(target);
        checkWritable(l);
        if (t.fs != l.fs) {
            throw refuse(Refusal.OUTSIDE, t);
        }
        if (!t.isAbsolute()) {
            Path parent = l.toAbsolutePath().getParent();
            t = SandboxPath.of((parent == null ? l.fs.root() : parent).resolve(t));
        }
        Path hostTarget = below(l.fs, t.namesBelowRoot(), t);
        Files.createSymbolicLink(hostPath(l, false), hostTarget, attrs);
    }

    /** Needs both volumes writable: a second name for a file is write access to it. */
    @Override
    public void createLink(Path link, Path existing) throws IOException {
        SandboxPath l = SandboxPath.of(link);
        SandboxPath e = SandboxPath.of(existing);
        checkWritable(l);
        checkWritable(e);
        Path source = hostPath(e, false);
        if (Files.isSymbolicLink(source)) {
            // link the file itself (checked inside), whether or not the host's link() follows links
            source = hostPath(e, true);
        }
        Files.createLink(hostPath(l, false), source);
    }

    @Override
    public void delete(Path path) throws IOException {
        SandboxPath p = SandboxPath.of(path);
        checkWritable(p);
        checkNotRoot(p);
        Files.delete(hostPath(p, false));
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        SandboxPath s = SandboxPath.of(source);
        SandboxPath t = SandboxPath.of(target);
        checkWritable(t);
        boolean follow = !Arrays.asList(options).contains(NOFOLLOW_LINKS);
        Files.copy(hostPath(s, follow), hostPath(t, false), options);
    }

    /**
     * Renames the entry itself (a link is moved, not followed). {@code COPY_ATTRIBUTES} is dropped:
     * a rename keeps them anyway, and the default provider refuses it for moves, which made every
     * Chicory 1.7.5 {@code path_rename} fail with {@code ENOTSUP}.
     */
    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        SandboxPath s = SandboxPath.of(source);
        SandboxPath t = SandboxPath.of(target);
        checkWritable(s);
        checkWritable(t);
        checkNotRoot(s);
        checkNotRoot(t);
        CopyOption[] hostOptions = Arrays.stream(options)
                .filter(option -> option != StandardCopyOption.COPY_ATTRIBUTES)
                .toArray(CopyOption[]::new);
        Files.move(hostPath(s, false), hostPath(t, false), hostOptions);
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        if (path.equals(path2)) {
            return true;
        }
        if (!(path2 instanceof SandboxPath)) {
            return false;
        }
        return Files.isSameFile(hostPath(SandboxPath.of(path), true), hostPath((SandboxPath) path2, true));
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        return Files.isHidden(hostPath(SandboxPath.of(path), true));
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        return Files.getFileStore(hostPath(SandboxPath.of(path), true));
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        SandboxPath p = SandboxPath.of(path);
        Path host = hostPath(p, true);
        if (!p.fs.writable && Arrays.asList(modes).contains(AccessMode.WRITE)) {
            throw new AccessDeniedException(p.toString(), null, "read-only volume");
        }
        host.getFileSystem().provider().checkAccess(host, modes);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        if (type != BasicFileAttributeView.class) {
            return null;
        }
        SandboxPath p = SandboxPath.of(path);
        boolean follow = followLinks(options);
        return (V) new BasicFileAttributeView() {
            @Override
            public String name() {
                return "basic";
            }

            @Override
            public BasicFileAttributes readAttributes() throws IOException {
                return Files.readAttributes(hostPath(p, follow), BasicFileAttributes.class, NOFOLLOW_LINKS);
            }

            @Override
            public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime)
                    throws IOException {
                checkWritable(p);
                Files.getFileAttributeView(hostPath(p, follow), BasicFileAttributeView.class, NOFOLLOW_LINKS)
                        .setTimes(lastModifiedTime, lastAccessTime, createTime);
            }
        };
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        return Files.readAttributes(hostPath(SandboxPath.of(path), followLinks(options)), type, NOFOLLOW_LINKS);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        return Files.readAttributes(hostPath(SandboxPath.of(path), followLinks(options)), attributes, NOFOLLOW_LINKS);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        SandboxPath p = SandboxPath.of(path);
        checkWritable(p);
        Files.setAttribute(hostPath(p, followLinks(options)), attribute, value, NOFOLLOW_LINKS);
    }

    /**
     * The link's target as a volume path: relative targets are taken from the link's directory,
     * absolute ones must name a host path below the root. A target outside the volume is refused
     * (so a module can neither follow nor read it).
     */
    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        SandboxPath l = SandboxPath.of(link);
        SandboxFileSystem fs = l.fs;
        Path entry = hostPath(l, false);
        Path raw = Files.readSymbolicLink(entry);
        Path target = entry.getParent().resolve(raw).normalize();
        for (Path root : List.of(fs.realRoot, fs.givenRoot)) {
            if (target.startsWith(root)) {
                return fs.toVolumePath(fs.realRoot.resolve(root.relativize(target)));
            }
        }
        throw refuse(Refusal.OUTSIDE, l);
    }

    /** An operation on a volume that would reach outside it. A {@link NoSuchFileException}: outside, nothing exists. */
    static final class OutsideVolumeException extends NoSuchFileException {
        private static final long serialVersionUID = 1L;

        OutsideVolumeException(String path) {
            super(path, null, "outside the volume");
        }
    }

    /** A write to a read-only volume. */
    static final class ReadOnlyVolumeException extends AccessDeniedException {
        private static final long serialVersionUID = 1L;

        ReadOnlyVolumeException(String path) {
            super(path, null, "read-only volume");
        }
    }
}
