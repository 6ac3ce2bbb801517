package dev.wagiservlet.engine.wasmtime;

import dev.wagiservlet.engine.ModuleExecutionException.Kind;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.WasmBinary;
import io.github.kawamuray.wasmtime.Caller;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.FuncType;
import io.github.kawamuray.wasmtime.Memory;
import io.github.kawamuray.wasmtime.Store;
import io.github.kawamuray.wasmtime.Val;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * WASI's {@code fd_read} and {@code fd_write} on descriptors 0, 1 and 2 for one run, in Java: the
 * invocation's streams, read and written as the module asks (so the request body streams in and
 * the output streams out). Every other descriptor (a file in a volume) goes to wasmtime's own WASI
 * function, chosen by the stdio shim (src/main/wat/wasmtime-stdio-shim.wat): a Java host function
 * cannot call a WASI function itself (WASI finds the memory through its caller's exports, and a
 * call from Java has no caller). What a stream throws (a stopped run, a limit) ends the run: the host function traps,
 * and {@link #rethrowFailure()} throws it again from the run.
 */
final class Stdio {

    /** WASI errno values. */
    private static final int ESUCCESS = 0;
    private static final int EBADF = 8;
    private static final int EFAULT = 21;
    private static final int EIO = 29;
    /** The first parameter of {@link #func()}: which call. */
    static final int READ = 0;
    static final int WRITE = 1;
    private static final FuncType TYPE = new FuncType(
            new Val.Type[] {Val.Type.I32, Val.Type.I32, Val.Type.I32, Val.Type.I32, Val.Type.I32}, new Val.Type[] {Val.Type.I32});
    private static final int CHUNK = 64 * 1024;

    private final String module;
    private final WasiInvocation invocation;
    private final Store<Void> store;
    private Memory memory;
    private RuntimeException failure;
    private long bookedPages;
    private byte[] buffer = new byte[1024];

    /**
     * @param memory the run's memory (an empty one if the module has none of its own), or null
     *     until {@link #memory(Memory)} gives the module's own
     * @param bookedPages how much of it is booked in the invocation's memory account
     */
    Stdio(String module, WasiInvocation invocation, Store<Void> store, Memory memory, long bookedPages) {
        this.bookedPages = bookedPages;
        this.module = module;
        this.invocation = invocation;
        this.store = store;
        this.memory = memory;
    }

    /**
     * The one host function the stdio shim calls for descriptors 0-2: {@code (op, fd, iovs, count,
     * result) -> errno}, where op {@link #READ} is {@code fd_read} (descriptor 0 only) and
     * {@link #WRITE} is {@code fd_write} (descriptors 1 and 2); any other descriptor is
     * {@code EBADF}. One function, not two: wasmtime 7 compiles a trampoline for each Java
     * function of each store (about 0.25 ms).
     */
    Func func() {
        return new Func(store, TYPE, (Caller<Void> caller, Val[] params, Val[] results) -> {
            int fd = params[1].i32();
            int iovs = params[2].i32();
            int count = params[3].i32();
            int result = params[4].i32();
            if (params[0].i32() == READ) {
                results[0] = Val.fromI32(fd == 0 ? guarded(() -> read(iovs, count, result)) : EBADF);
            } else if (fd == 1 || fd == 2) {
                OutputStream out = fd == 1 ? invocation.stdout() : invocation.stderr();
                results[0] = Val.fromI32(guarded(() -> write(out, iovs, count, result)));
            } else {
                results[0] = Val.fromI32(EBADF);
            }
        });
    }

    private interface Call {
        int errno() throws IOException;
    }

    /**
     * The call's errno; a stopped thread, memory the budget has no room for, or a stream's own
     * exception ends the run instead.
     */
    private int guarded(Call call) {
        if (Thread.currentThread().isInterrupted()) {
            failure = new InterruptedRun("the run's thread was interrupted");
            throw failure;
        }
        bookGrowth();
        try {
            return call.errno();
        } catch (IOException e) {
            return EIO;
        } catch (IndexOutOfBoundsException e) {
            return EFAULT;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * Books what the memory grew by since the last host call (wasmtime-java has no hook on
     * {@code memory.grow}: a grow is booked at the module's next read or write, or not at all if
     * it makes none). A budget without room ends the run.
     */
    private void bookGrowth() {
        if (memory == null) {
            return;
        }
        long pages = memory.size(store);
        if (pages > bookedPages) {
            long bytes = (pages - bookedPages) * WasmBinary.PAGE;
            if (!invocation.memory().reserve(bytes)) {
                failure = new MemoryRefused(module + " grew its memory to " + pages * WasmBinary.PAGE
                        + " bytes, and the memory budget has no room for " + bytes + " more");
                throw failure;
            }
            bookedPages = pages;
        }
    }

    /** Thrown from a host function to end the run as interrupted. */
    static final class InterruptedRun extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InterruptedRun(String message) {
            super(message, null, false, false);
        }
    }

    /** Thrown from a host function to end the run for the memory budget. */
    static final class MemoryRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MemoryRefused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Ends the run as what a host function ended it with, if one did: a stream's own exception
     * (a stopped run, a limit) as itself, an interrupt as {@code INTERRUPTED}, the budget as
     * {@code MEMORY}.
     */
    void rethrowFailure(Throwable wasmtimeError) throws ModuleExecutionException {
        if (failure instanceof InterruptedRun) {
            throw new ModuleExecutionException(Kind.INTERRUPTED, module + " was interrupted", wasmtimeError);
        } else if (failure instanceof MemoryRefused) {
            throw new ModuleExecutionException(Kind.MEMORY, failure.getMessage(), wasmtimeError);
        } else if (failure != null) {
            throw failure;
        }
    }

    /** The module's own memory, once its instance exists; a read or write before is {@code EFAULT}. */
    void memory(Memory own) {
        this.memory = own;
    }

    private ByteBuffer memory() {
        if (memory == null) {
            throw new IndexOutOfBoundsException("no memory yet");
        }
        return memory.buffer(store).order(ByteOrder.LITTLE_ENDIAN);
    }

    private int read(int iovs, int count, int resultPointer) throws IOException {
        ByteBuffer mem = memory();
        InputStream in = invocation.stdin();
        long total = 0;
        for (int i = 0; i < count; i++) {
            int pointer = mem.getInt(iovs + i * 8);
            int length = mem.getInt(iovs + i * 8 + 4);
            if (length == 0) {
                continue;
            }
            int wanted = Math.min(length, CHUNK);
            byte[] bytes = buffer(wanted);
            int n = in.read(bytes, 0, wanted);
            if (n <= 0) {
                break;
            }
            mem.put(pointer, bytes, 0, n);
            total += n;
            if (n < length) {
                break; // what is there now; the module asks again for more
            }
        }
        mem.putInt(resultPointer, (int) total);
        return ESUCCESS;
    }

    private int write(OutputStream out, int iovs, int count, int resultPointer) throws IOException {
        ByteBuffer mem = memory();
        long total = 0;
        for (int i = 0; i < count; i++) {
            int pointer = mem.getInt(iovs + i * 8);
            int length = mem.getInt(iovs + i * 8 + 4);
            if (length < 0) {
                return EFAULT;
            }
            byte[] bytes = buffer(length);
            mem.get(pointer, bytes, 0, length);
            out.write(bytes, 0, length);
            total += length;
        }
        mem.putInt(resultPointer, (int) total);
        return ESUCCESS;
    }

    private byte[] buffer(int length) {
        if (buffer.length < length) {
            buffer = new byte[Math.max(length, buffer.length * 2)];
        }
        return buffer;
    }
}
