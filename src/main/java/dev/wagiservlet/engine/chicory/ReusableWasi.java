package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.log.Logger;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A WASI context (Chicory's {@link WasiPreview1} and its host functions) made once and lent to one
 * run at a time of a module without volumes. Making them anew for every request was the largest
 * cost of instantiating a small module: 46 host functions, each with its type, and the copies of
 * argv and the environment.
 *
 * <p>What differs between runs is switched here instead: the standard streams are forwarded to
 * the run's own, and {@code args_*} and {@code environ_*} answer from the run's argv and
 * environment. The rest of Chicory's WASI holds no state of a run, except its descriptor table,
 * which without pre-opened directories only {@code fd_close} and {@code fd_renumber} can change;
 * a context whose module called either is not lent again. So, like a memory, a context is given
 * back only after a run that ended normally.
 */
final class ReusableWasi {

    private static final byte[][] NONE = new byte[0][];
    /** The names of the {@code wasi_snapshot_preview1} functions Chicory's WASI provides, and so a module may import. */
    static final Set<String> PROVIDED = provided();

    private final ForwardingInput stdin = new ForwardingInput();
    private final ForwardingOutput stdout = new ForwardingOutput();
    private final ForwardingOutput stderr = new ForwardingOutput();
    private final HostFunction[] functions;
    private byte[][] arguments = NONE;
    private byte[][] environment = NONE;
    private boolean descriptorsChanged;

    /**
     * @param logger Chicory's logger for WASI calls
     * @param imported the names of the WASI functions the module imports: only those are linked
     */
    ReusableWasi(Logger logger, Set<String> imported) {
        WasiPreview1 wasi = WasiPreview1.builder().withLogger(logger).withOptions(WasiOptions.builder()
                .withStdin(stdin).withStdout(stdout).withStderr(stderr)
                .withThrowOnExit0(true) // proc_exit(0) then ends the run as a WasiExitException we treat as success
                .build()).build();
        List<HostFunction> linked = new ArrayList<>();
        for (HostFunction f : wasi.toHostFunctions()) {
            if (imported.contains(f.name())) {
                linked.add(switched(f));
            }
        }
        this.functions = linked.toArray(HostFunction[]::new);
    }

    private static Set<String> provided() {
        Set<String> names = new TreeSet<>();
        for (HostFunction f : WasiPreview1.builder().build().toHostFunctions()) {
            names.add(f.name());
        }
        return Collections.unmodifiableSet(names);
    }

    /** The host functions to link, bound to this context. */
    HostFunction[] functions() {
        return functions;
    }

    /** Lends this context to a run with these streams, argv and environment. */
    void begin(InputStream in, OutputStream out, OutputStream err, List<String> argv, Map<String, String> env) {
        stdin.target = in;
        stdout.target = out;
        stderr.target = err;
        arguments = new byte[argv.size()][];
        for (int i = 0; i < arguments.length; i++) {
            arguments[i] = nulTerminated(argv.get(i));
        }
        environment = new byte[env.size()][];
        int i = 0;
        for (Map.Entry<String, String> variable : env.entrySet()) {
            environment[i++] = nulTerminated(variable.getKey() + '=' + variable.getValue());
        }
    }

    /**
     * Ends the run: lets go of its streams and data.
     *
     * @return whether the context can be lent again (its descriptor table is as it was made)
     */
    boolean end() {
        stdin.target = InputStream.nullInputStream();
        stdout.target = OutputStream.nullOutputStream();
        stderr.target = OutputStream.nullOutputStream();
        arguments = NONE;
        environment = NONE;
        return !descriptorsChanged;
    }

    private HostFunction switched(HostFunction f) {
        switch (f.name()) {
            case "args_sizes_get":
                return withHandle(f, (instance, args) -> sizes(instance.memory(), arguments, (int) args[0], (int) args[1]));
            case "args_get":
                return withHandle(f, (instance, args) -> strings(instance.memory(), arguments, (int) args[0], (int) args[1]));
            case "environ_sizes_get":
                return withHandle(f, (instance, args) -> sizes(instance.memory(), environment, (int) args[0], (int) args[1]));
            case "environ_get":
                return withHandle(f, (instance, args) -> strings(instance.memory(), environment, (int) args[0], (int) args[1]));
            case "fd_close":
            case "fd_renumber":
                WasmFunctionHandle handle = f.handle();
                return withHandle(f, (instance, args) -> {
                    descriptorsChanged = true;
                    return handle.apply(instance, args);
                });
            default:
                return f;
        }
    }

    private static HostFunction withHandle(HostFunction f, WasmFunctionHandle handle) {
        return new HostFunction(f.module(), f.name(), f.functionType(), handle);
    }

    /** {@code args_sizes_get} and {@code environ_sizes_get}: how many strings, and their bytes with the NULs. */
    private static long[] sizes(Memory memory, byte[][] strings, int countAt, int bytesAt) {
        int bytes = 0;
        for (byte[] s : strings) {
            bytes += s.length;
        }
        memory.writeI32(countAt, strings.length);
        memory.writeI32(bytesAt, bytes);
        return new long[] {ChicoryVolumes.ESUCCESS};
    }

    /** {@code args_get} and {@code environ_get}: a pointer to each string, and the strings one after the other. */
    private static long[] strings(Memory memory, byte[][] strings, int pointersAt, int bytesAt) {
        for (byte[] s : strings) {
            memory.writeI32(pointersAt, bytesAt);
            pointersAt += 4;
            memory.write(bytesAt, s);
            bytesAt += s.length;
        }
        return new long[] {ChicoryVolumes.ESUCCESS};
    }

    private static byte[] nulTerminated(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, bytes, 0, utf8.length);
        return bytes;
    }

    private static final class ForwardingInput extends InputStream {
        InputStream target = InputStream.nullInputStream();

        @Override
        public int read() throws IOException {
            return target.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return target.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return target.available();
        }
    }

    private static final class ForwardingOutput extends OutputStream {
        OutputStream target = OutputStream.nullOutputStream();

        @Override
        public void write(int b) throws IOException {
            target.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }
    }
}
