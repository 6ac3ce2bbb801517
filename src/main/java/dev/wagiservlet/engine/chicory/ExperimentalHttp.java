package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ImportSection;
import com.dylibso.chicory.wasm.types.ValType;
import dev.wagiservlet.engine.http.ExperimentalHttpAbi;
import dev.wagiservlet.engine.http.ExperimentalHttpSession;
import dev.wagiservlet.engine.http.GuestMemory;
import dev.wagiservlet.engine.http.HttpTransport;
import dev.wagiservlet.engine.http.OutboundHttpPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code wasi_experimental_http} host functions of one run (one instance) on Chicory: Chicory's
 * {@link HostFunction}s over an {@link ExperimentalHttpSession}, which holds the ABI and the responses
 * the module keeps open (the same on wasmtime). Every response still open when the run ends is closed
 * by {@link #close()}.
 */
final class ExperimentalHttp implements AutoCloseable {

    /** The import module name. */
    static final String MODULE = ExperimentalHttpAbi.MODULE;

    /** The functions we provide, with their Chicory types. */
    static final Map<String, FunctionType> FUNCTIONS;

    static {
        Map<String, FunctionType> f = new LinkedHashMap<>();
        ExperimentalHttpAbi.FUNCTIONS.forEach((name, params) -> f.put(name, i32s(params)));
        FUNCTIONS = Collections.unmodifiableMap(f);
    }

    private static FunctionType i32s(int params) {
        return FunctionType.of(Collections.nCopies(params, ValType.I32), List.of(ValType.I32));
    }

    /** What a module needs of us: the functions it imports, whether it exports "memory", or why it cannot link. */
    record Linkage(List<String> functions, boolean memoryExported, String problem) {
        boolean used() {
            return !functions.isEmpty() || problem != null;
        }
    }

    /** Inspects a module's {@code wasi_experimental_http} imports (once per compiled module). */
    static Linkage link(WasmModule module) {
        Set<String> functions = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        ImportSection imports = module.importSection();
        for (int i = 0; i < imports.importCount(); i++) {
            Import imp = imports.getImport(i);
            if (!imp.module().equals(MODULE)) {
                continue;
            }
            String qualified = MODULE + "::" + imp.name();
            FunctionType expected = FUNCTIONS.get(imp.name());
            if (expected == null || imp.importType() != ExternalType.FUNCTION) {
                problems.add("it imports " + qualified + ", which the host does not provide (it provides "
                        + String.join(", ", FUNCTIONS.keySet()) + ")");
                continue;
            }
            FunctionType actual = module.typeSection().getType(((FunctionImport) imp).typeIndex());
            if (!expected.equals(actual)) {
                problems.add("it imports " + qualified + " as " + actual + ", but the host's is " + expected);
                continue;
            }
            functions.add(imp.name());
        }
        boolean memoryExported = false;
        ExportSection exports = module.exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            Export export = exports.getExport(i);
            if (export.name().equals("memory") && export.exportType() == ExternalType.MEMORY) {
                memoryExported = true;
            }
        }
        return new Linkage(List.copyOf(functions), memoryExported, problems.isEmpty() ? null : String.join("; ", problems));
    }

    private final ExperimentalHttpSession session;
    private final boolean memoryExported;

    ExperimentalHttp(HttpTransport transport, OutboundHttpPolicy policy, String moduleName, boolean memoryExported) {
        this.session = new ExperimentalHttpSession(transport, policy, moduleName);
        this.memoryExported = memoryExported;
    }

    /** The host functions of these names (the ones the module imports). */
    HostFunction[] functions(List<String> names) {
        HostFunction[] result = new HostFunction[names.size()];
        for (int i = 0; i < result.length; i++) {
            String name = names.get(i);
            result[i] = new HostFunction(MODULE, name, FUNCTIONS.get(name), handle(name));
        }
        return result;
    }

    private WasmFunctionHandle handle(String name) {
        return (instance, args) -> {
            try {
                return new long[] {session.call(name, memoryExported ? new ChicoryMemory(instance.memory()) : null, args)};
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChicoryInterruptedException("Thread interrupted");
            }
        };
    }

    /** Closes every response the module left open. */
    @Override
    public void close() {
        session.close();
    }

    /** How many responses are open (for tests). */
    int openResponses() {
        return session.openResponses();
    }

    /** Chicory's memory as the session reads and writes it. */
    private record ChicoryMemory(Memory memory) implements GuestMemory {
        @Override
        public long size() {
            return (long) memory.pages() * Memory.PAGE_SIZE;
        }

        @Override
        public byte[] read(int offset, int length) {
            return memory.readBytes(offset, length);
        }

        @Override
        public void write(int offset, byte[] bytes, int from, int length) {
            memory.write(offset, bytes, from, length);
        }

        @Override
        public void writeI32(int offset, int value) {
            memory.writeI32(offset, value);
        }

        @Override
        public void writeI16(int offset, short value) {
            memory.writeShort(offset, value);
        }
    }
}
