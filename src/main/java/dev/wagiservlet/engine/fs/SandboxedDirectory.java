package dev.wagiservlet.engine.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * A host directory confined for a module: the {@link Path} {@link #of} returns is the root of a
 * small {@code java.nio} file system whose every operation stays below that directory. Hand it to
 * the engine as the directory to pre-open (e.g. Chicory's {@code WasiOptions.withDirectory}); the
 * engine then works on it with {@link Files} as on any path, and needs no changes.
 *
 * <h2>What is confined</h2>
 * <ul>
 *   <li><b>{@code ..} and absolute paths.</b> Volume paths are lexical, with {@code /} at the volume's
 *       root; {@code ..} at the root stays at the root, as on POSIX. (Chicory refuses both before
 *       they reach us: {@code EPERM} from {@code path_open}, {@code EACCES} from the others.)</li>
 *   <li><b>Symbolic links</b>, wherever they are in a path and whoever made them. An operation that
 *       follows links resolves the path's real path on the host and refuses it unless it lies below
 *       the directory's real path; then it works on that real path. An operation on a name itself
 *       (lstat, unlink, rename, mkdir, symlink, create) checks the real path of the parent
 *       directory. Reading a link ({@code readlink}, and following it) gives its target as a volume
 *       path, or is refused when the target lies outside. Opening with O_CREAT through a dangling
 *       link creates its target only if that lies inside.</li>
 *   <li><b>Links a module creates</b> are written with an absolute host target below the root (the
 *       module can only name targets inside the volume), so moving such a link later cannot make it
 *       point elsewhere.</li>
 *   <li><b>Hard links</b> need the source file to be inside and both volumes writable: a second name
 *       for a file is write access to it.</li>
 *   <li><b>Read-only volumes</b> refuse every write: opening for writing, appending, creating or
 *       truncating, mkdir, rmdir, unlink, rename (in or out), symlink, link, setting times or other
 *       attributes. Reads work. Files opened on a read-only volume are opened for reading only.</li>
 * </ul>
 *
 * <p>Refusals are {@link java.nio.file.NoSuchFileException}s (outside the volume nothing exists)
 * and {@link java.nio.file.AccessDeniedException}s (read-only). As engines map exceptions to error
 * codes in their own ways, each refusal is also recorded for the calling thread while a
 * {@link #watchRefusals() watch} is open, so the engine can report {@link Refusal#errno() the right
 * WASI errno}: {@code EROFS} for writes to read-only volumes, {@code ENOTCAPABLE} for anything
 * outside.
 *
 * <h2>Residual risks</h2>
 * <ul>
 *   <li><b>Races (TOCTOU).</b> The check and the use are two steps; java.nio has no
 *       {@code openat2(RESOLVE_BENEATH)}. The use works on the checked real path, which contains no
 *       links, and opens files with {@code O_NOFOLLOW}; but if a directory in that real path is
 *       replaced by a link to outside between check and use, the use follows it. That needs a second
 *       writer racing the module: a host process, or another run of a module on the same writable
 *       volume, which also needs a link leading outside to swap in. Links a module creates never
 *       lead outside; so keep writable volumes free of links put there by others (and of
 *       <em>relative</em> links, which can lead outside once moved).</li>
 *   <li><b>Hard links made on the host</b> to files outside the directory are indistinguishable from
 *       files inside and are served.</li>
 *   <li><b>Overlapping volumes.</b> Each volume is confined to its own directory, but if one route's
 *       writable volume contains another's directory, writes through it are of course visible
 *       there.</li>
 *   <li><b>Metadata.</b> A link leading outside is left out of directory listings (Chicory lists
 *       entries with their followed attributes); {@code lstat} of such a link works and shows it is
 *       a link. {@code getFileStore} describes the host's store.</li>
 *   <li>The host directory is resolved once, by {@link #of}; if it is later replaced, the volume
 *       keeps serving the directory it resolved to.</li>
 * </ul>
 */
public final class SandboxedDirectory {

    private static final ThreadLocal<Watch> WATCH = new ThreadLocal<>();

    private SandboxedDirectory() {}

    /** Why an operation was refused. */
    public enum Refusal {
        /** A write to a read-only volume. */
        READ_ONLY(69), // WASI errno EROFS
        /** A path that would lead outside the volume. */
        OUTSIDE(76); // WASI errno ENOTCAPABLE

        private final int errno;

        Refusal(int errno) {
            this.errno = errno;
        }

        /** The WASI preview1 errno to report: {@code EROFS} (69) or {@code ENOTCAPABLE} (76). */
        public int errno() {
            return errno;
        }
    }

    /**
     * The directory to hand to the engine in place of {@code hostDirectory}. Cheap and immutable: make
     * one per route when the route is mounted and share it between runs and threads.
     *
     * @param hostDirectory an existing directory on the host
     * @param writable whether modules may change what is in it
     * @throws IOException if it does not exist or is not a directory
     */
    public static Path of(Path hostDirectory, boolean writable) throws IOException {
        Path absolute = hostDirectory.toAbsolutePath().normalize();
        Path real = absolute.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new NotDirectoryException(hostDirectory.toString());
        }
        return new SandboxFileSystem(real, absolute, writable).root();
    }

    /**
     * What an engine should pre-open for a directory it was given: a path made by {@link #of} as it
     * is, any other path as a read-only volume.
     */
    public static Path confine(Path directory) throws IOException {
        return isSandboxed(directory) ? directory : of(directory, false);
    }

    /** Whether the path is the root of a volume made by {@link #of}. */
    public static boolean isSandboxed(Path directory) {
        return directory instanceof SandboxPath
                && ((SandboxPath) directory).getFileSystem().root().equals(directory);
    }

    /**
     * The real host directory behind a volume made by {@link #of}, for an engine that confines
     * volumes itself (wasmtime's WASI, through capabilities) instead of reading through the sandbox.
     *
     * @throws IllegalArgumentException if the path is not such a volume
     */
    public static Path hostDirectory(Path volume) {
        if (!isSandboxed(volume)) {
            throw new IllegalArgumentException("not a volume: " + volume);
        }
        return ((SandboxPath) volume).getFileSystem().realRoot;
    }

    /** Whether the path is a volume path that may be written to. */
    public static boolean isWritable(Path directory) {
        return directory instanceof SandboxPath && ((SandboxPath) directory).getFileSystem().writable;
    }

    /**
     * Starts recording refusals on the calling thread, until {@link Watch#close()}. Engines open one
     * around each host call that may touch a volume, then report {@link Watch#refusal()}'s errno
     * instead of the generic one their exception mapping gave.
     */
    public static Watch watchRefusals() {
        Watch watch = new Watch(WATCH.get());
        WATCH.set(watch);
        return watch;
    }

    static void record(Refusal refusal) {
        Watch watch = WATCH.get();
        if (watch != null) {
            watch.refusal = refusal;
        }
    }

    /** Refusals recorded on one thread; see {@link #watchRefusals()}. */
    public static final class Watch implements AutoCloseable {
        private final Watch outer;
        private Refusal refusal;

        private Watch(Watch outer) {
            this.outer = outer;
        }

        /** The latest refusal since the watch started, or null. */
        public Refusal refusal() {
            return refusal;
        }

        @Override
        public void close() {
            if (outer == null) {
                WATCH.remove();
            } else {
                WATCH.set(outer);
            }
        }
    }
}
