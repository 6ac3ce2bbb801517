package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.runtime.HostFunction;
import dev.wagiservlet.engine.ModuleExecutionException.Kind;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.fs.SandboxedDirectory;
import java.io.IOException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Volumes for Chicory's WASI: every pre-opened directory is a {@link SandboxedDirectory}, and the
 * WASI functions that touch files report its refusals with the right errno.
 *
 * <p>Chicory 1.7.5's {@code WasiPreview1} on its own only checks paths lexically (it refuses
 * absolute paths and a leading {@code ..}), follows every symbolic link wherever it points (even
 * resolving relative link targets against the JVM's working directory), and has no read-only
 * directories. The sandbox takes care of all that; Chicory then maps the sandbox's exceptions to
 * {@code ENOENT} or {@code EIO}, which {@link #guard} turns into {@code EROFS} (a write to a
 * read-only volume) or {@code ENOTCAPABLE} (outside the volume). Chicory's own lexical refusals
 * stay as Chicory reports them: {@code EPERM} from {@code path_open}, {@code EACCES} from the
 * other {@code path_*} functions.
 */
final class ChicoryVolumes {

    /** The WASI functions that may reach a volume's file system (the rest only touch descriptors and streams). */
    private static final Set<String> FILE_FUNCTIONS = Set.of(
            "fd_allocate", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_readdir");

    /** WASI preview1 errno values (Chicory's {@code WasiErrno} is not public). */
    static final int ESUCCESS = 0;
    static final int ENOTCAPABLE = 76;

    private ChicoryVolumes() {}

    /** The path to pre-open for a directory of the invocation: see {@link SandboxedDirectory#confine}. */
    static Path preopen(String module, String guestPath, Path directory) throws ModuleExecutionException {
        try {
            return SandboxedDirectory.confine(directory);
        } catch (IOException e) {
            throw new ModuleExecutionException(Kind.LINK,
                    module + ": the directory for " + guestPath + " cannot be opened: " + e, e);
        }
    }

    /**
     * Chicory's WASI functions, those that touch files wrapped so that (a) a sandbox refusal is
     * reported as its errno instead of Chicory's generic one, and (b) truncating or extending a file
     * opened without write access ({@code ftruncate} on an {@code O_RDONLY} descriptor) returns
     * {@code ENOTCAPABLE}, as Chicory's {@code fd_write} does, instead of throwing
     * {@link NonWritableChannelException} out of the run.
     */
    static HostFunction[] guard(HostFunction[] functions) {
        HostFunction[] guarded = functions.clone();
        for (int i = 0; i < guarded.length; i++) {
            HostFunction f = guarded[i];
            if (!f.name().startsWith("path_") && !FILE_FUNCTIONS.contains(f.name())) {
                continue;
            }
            var handle = f.handle();
            guarded[i] = new HostFunction(f.module(), f.name(), f.functionType(), (instance, args) -> {
                try (SandboxedDirectory.Watch watch = SandboxedDirectory.watchRefusals()) {
                    long[] result = handle.apply(instance, args);
                    if (watch.refusal() != null && result != null && result.length == 1
                            && result[0] != ESUCCESS) {
                        result[0] = watch.refusal().errno();
                    }
                    return result;
                } catch (NonWritableChannelException | NonReadableChannelException e) {
                    return new long[] {ENOTCAPABLE};
                }
            });
        }
        return guarded;
    }
}
