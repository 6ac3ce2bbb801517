package dev.wagiservlet.engine.wasmtime;

import dev.wagiservlet.engine.ModuleExecutionException.Kind;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.WasmBinary;
import dev.wagiservlet.engine.http.ExperimentalHttpAbi;
import dev.wagiservlet.engine.http.ExperimentalHttpSession;
import dev.wagiservlet.engine.http.GuestMemory;
import dev.wagiservlet.engine.http.HttpTransport;
import io.github.kawamuray.wasmtime.Caller;
import io.github.kawamuray.wasmtime.Extern;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.FuncType;
import io.github.kawamuray.wasmtime.Memory;
import io.github.kawamuray.wasmtime.Store;
import io.github.kawamuray.wasmtime.Val;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code wasi_experimental_http} host functions of one run on wasmtime: Java {@link Func}s over
 * an {@link ExperimentalHttpSession}, which holds the ABI and the responses the module keeps open
 * (the same as on Chicory). Made only for modules that import them, and only the functions imported
 * (a host function costs about 130 µs per store in wasmtime-java). The module's memory is its export
 * named {@code memory}, as in the reference (none: code 2). A run interrupted while waiting for a
 * response (the route's timeout, the webapp stopping) traps, and {@link #rethrowFailure} ends it
 * as {@code INTERRUPTED}. Closing ends every response still open.
 */
final class WasmtimeHttp implements AutoCloseable {

    private final String module;
    private final ExperimentalHttpSession session;
    private final Store<Void> store;
    /** The memory the host made for the run, or null if the module has none of its own. */
    private final Memory hostMemory;
    /** Whether the module exports a memory named "memory": known at its first call. */
    private Boolean memoryExported;
    private Memory exportedMemory;
    private RuntimeException failure;

    WasmtimeHttp(HttpTransport transport, WasiInvocation invocation, String module, Store<Void> store, Memory hostMemory) {
        this.module = module;
        this.session = new ExperimentalHttpSession(transport, invocation.http(), module);
        this.store = store;
        this.hostMemory = hostMemory;
    }

    /** Whether this import is one of the host functions (its type is checked when the run links). */
    static boolean provides(WasmBinary.Import imported) {
        return imported.module().equals(ExperimentalHttpAbi.MODULE) && imported.kind() == 0
                && ExperimentalHttpAbi.FUNCTIONS.containsKey(imported.name());
    }

    /** Whether the module imports anything of {@code wasi_experimental_http}. */
    static boolean usedBy(WasmBinary binary) {
        return binary.imports().stream().anyMatch(i -> i.module().equals(ExperimentalHttpAbi.MODULE));
    }

    /** The host function of that name, for this run's store; the caller disposes it. */
    Func func(String name) {
        Val.Type[] params = new Val.Type[ExperimentalHttpAbi.FUNCTIONS.get(name)];
        Arrays.fill(params, Val.Type.I32);
        FuncType type = new FuncType(params, new Val.Type[] {Val.Type.I32});
        return new Func(store, type, (Caller<Void> caller, Val[] in, Val[] out) -> {
            long[] args = new long[in.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = in[i].i32();
            }
            try {
                out[0] = Val.fromI32(session.call(name, memory(caller), args));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new Stdio.InterruptedRun(module + " was interrupted in " + ExperimentalHttpAbi.MODULE + "::" + name);
                throw failure;
            }
        });
    }

    private GuestMemory memory(Caller<Void> caller) {
        if (memoryExported == null) {
            Optional<Extern> export = caller.getExport("memory");
            memoryExported = export.isPresent() && export.get().type() == Extern.Type.MEMORY;
            if (memoryExported && hostMemory == null) {
                exportedMemory = export.get().memory();
            } else if (memoryExported) {
                export.get().memory().dispose(); // the same memory as the host's: only its handle is freed
            }
        }
        if (!memoryExported) {
            return null;
        }
        return new BufferMemory((hostMemory != null ? hostMemory : exportedMemory).buffer(store).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Ends the run as interrupted if a host function was interrupted while waiting. */
    void rethrowFailure(Throwable wasmtimeError) throws ModuleExecutionException {
        if (failure != null) {
            throw new ModuleExecutionException(Kind.INTERRUPTED, failure.getMessage(), wasmtimeError);
        }
    }

    /** Closes every response the module left open. */
    @Override
    public void close() {
        session.close();
        if (exportedMemory != null) {
            exportedMemory.dispose();
        }
    }

    /** The run's memory, as wasmtime-java shows it: a direct buffer over it, valid for one host call. */
    private record BufferMemory(ByteBuffer buffer) implements GuestMemory {
        @Override
        public long size() {
            return buffer.capacity();
        }

        @Override
        public byte[] read(int offset, int length) {
            byte[] bytes = new byte[length];
            buffer.get(offset, bytes);
            return bytes;
        }

        @Override
        public void write(int offset, byte[] bytes, int from, int length) {
            buffer.put(offset, bytes, from, length);
        }

        @Override
        public void writeI32(int offset, int value) {
            buffer.putInt(offset, value);
        }

        @Override
        public void writeI16(int offset, short value) {
            buffer.putShort(offset, value);
        }
    }
}
