package dev.wagiservlet.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an engine, or the host choosing one, needs to know of a module's binary before wasmtime compiles it (imports,
 * exported functions and their types, the memory, the size of each function body), and the one
 * rewrite it makes: the module's own memory becomes an import ({@link #HOST_MODULE}{@code ::memory})
 * with the same limits, so that the host makes it for each run with the run's cap as its maximum.
 * wasmtime-java 0.19.0 has no store limits; a memory whose maximum is the cap makes
 * {@code memory.grow} past the cap fail, as it does at a module's own maximum.
 */
public final class WasmBinary {

    /** The module name the rewritten memory is imported from. */
    public static final String HOST_MODULE = "wagi-servlet";
    public static final long PAGE = 65536;

    /** One import: its module, name and kind (0 function, 1 table, 2 memory, 3 global, 4 tag). */
    public record Import(String module, String name, int kind) {
        public String qualified() {
            return module + "::" + name;
        }
    }

    /** A memory's limits, in pages; {@code maximum} -1 when it declares none. */
    public record Limits(long initial, long maximum, boolean shared, boolean is64) {}

    private final List<Import> imports = new ArrayList<>();
    private final List<int[]> types = new ArrayList<>(); // {params, results}
    private final List<Integer> functionTypes = new ArrayList<>(); // type of every function, imported ones first
    private final Map<String, Integer> exportedFunctions = new TreeMap<>();
    private final List<Integer> bodySizes = new ArrayList<>();
    private Limits memory;
    private boolean memoryImported;
    private String memoryExport;
    private int memoryCount;
    private final byte[] bytes;
    private final List<int[]> sections = new ArrayList<>(); // {id, start of section (its id byte), payload start, end}

    private WasmBinary(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Reads the sections this engine needs.
     *
     * @throws IllegalArgumentException if the bytes are not a WebAssembly binary module
     */
    public static WasmBinary read(byte[] wasm) {
        if (wasm.length < 8 || wasm[0] != 0 || wasm[1] != 'a' || wasm[2] != 's' || wasm[3] != 'm') {
            throw new IllegalArgumentException("not a WebAssembly binary module (no \\0asm header)");
        }
        WasmBinary binary = new WasmBinary(wasm);
        try {
            binary.parse();
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated WebAssembly module", e);
        }
        return binary;
    }

    private int pos;

    private void parse() {
        pos = 8;
        while (pos < bytes.length) {
            int start = pos;
            int id = bytes[pos++] & 0xff;
            int size = (int) leb();
            int payload = pos;
            int end = payload + size;
            if (end > bytes.length || size < 0) {
                throw new IllegalArgumentException("truncated WebAssembly module");
            }
            sections.add(new int[] {id, start, payload, end});
            switch (id) {
                case 1 -> typeSection();
                case 2 -> importSection();
                case 3 -> functionSection();
                case 5 -> memorySection();
                case 7 -> exportSection();
                case 10 -> codeSection();
                default -> { }
            }
            pos = end;
        }
    }

    private void typeSection() {
        long count = leb();
        for (long i = 0; i < count; i++) {
            int form = bytes[pos++] & 0xff;
            if (form != 0x60) {
                types.add(new int[] {-1, -1}); // not a function type this reader knows: never an entrypoint
                return;
            }
            int params = (int) leb();
            pos += params;
            int results = (int) leb();
            pos += results;
            types.add(new int[] {params, results});
        }
    }

    private void importSection() {
        long count = leb();
        for (long i = 0; i < count; i++) {
            String module = name();
            String field = name();
            int kind = bytes[pos++] & 0xff;
            imports.add(new Import(module, field, kind));
            switch (kind) {
                case 0 -> functionTypes.add((int) leb());
                case 1 -> {
                    pos++; // reference type
                    limits();
                }
                case 2 -> {
                    memoryImported = true;
                    memoryCount++;
                    limits();
                }
                case 3 -> pos += 2; // value type, mutability
                case 4 -> {
                    pos++;
                    leb();
                }
                default -> throw new IllegalArgumentException("unknown import kind " + kind);
            }
        }
    }

    private void functionSection() {
        long count = leb();
        for (long i = 0; i < count; i++) {
            functionTypes.add((int) leb());
        }
    }

    private void memorySection() {
        long count = leb();
        for (long i = 0; i < count; i++) {
            Limits limits = limits();
            if (memoryCount++ == 0) {
                memory = limits;
            }
        }
    }

    private void exportSection() {
        long count = leb();
        for (long i = 0; i < count; i++) {
            String field = name();
            int kind = bytes[pos++] & 0xff;
            int index = (int) leb();
            if (kind == 0) {
                exportedFunctions.put(field, index);
            } else if (kind == 2 && index == 0 && memoryExport == null) {
                memoryExport = field;
            }
        }
    }

    private void codeSection() {
        long count = leb();
        for (long i = 0; i < count; i++) {
            int size = (int) leb();
            bodySizes.add(size);
            pos += size;
        }
    }

    private Limits limits() {
        int flags = bytes[pos++] & 0xff;
        long initial = leb();
        long maximum = (flags & 1) != 0 ? leb() : -1;
        return new Limits(initial, maximum, (flags & 2) != 0, (flags & 4) != 0);
    }

    private String name() {
        int length = (int) leb();
        String name = new String(bytes, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return name;
    }

    private long leb() {
        long result = 0;
        int shift = 0;
        while (true) {
            int b = bytes[pos++] & 0xff;
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
            shift += 7;
            if (shift > 63) {
                throw new IllegalArgumentException("malformed LEB128 number");
            }
        }
    }

    public List<Import> imports() {
        return List.copyOf(imports);
    }

    /** Whether the module exports a function of that name taking and returning nothing. */
    public boolean exportsEntrypoint(String function) {
        Integer index = exportedFunctions.get(function);
        if (index == null || index >= functionTypes.size()) {
            return false;
        }
        int type = functionTypes.get(index);
        if (type < 0 || type >= types.size()) {
            return false;
        }
        int[] signature = types.get(type);
        return signature[0] == 0 && signature[1] == 0;
    }

    /** The module's own (defined, not imported) memory 0, if it has one. */
    public Optional<Limits> definedMemory() {
        return memoryImported ? Optional.empty() : Optional.ofNullable(memory);
    }

    /** How many memories the module has, imported and defined. */
    public int memoryCount() {
        return memoryCount;
    }

    /** The size in bytes of each function body, in order. */
    public List<Integer> bodySizes() {
        return List.copyOf(bodySizes);
    }

    /**
     * The module with its defined memory turned into an import of {@link #HOST_MODULE}{@code ::memory}
     * with the same limits, appended to its imports (the memory keeps index 0: imported memories
     * come before defined ones). The bytes as they are when the module defines no memory.
     */
    public byte[] withImportedMemory() {
        if (definedMemory().isEmpty() || memoryCount != 1) {
            return bytes;
        }
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        writeName(entry, HOST_MODULE);
        writeName(entry, "memory");
        entry.write(2);
        int[] memorySection = section(5);
        int limitsStart = memorySection[2];
        pos = limitsStart;
        leb(); // count, 1
        int from = pos;
        limits();
        entry.write(bytes, from, pos - from);
        byte[] newEntry = entry.toByteArray();

        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 32);
        out.write(bytes, 0, 8);
        boolean written = false;
        for (int[] s : sections) {
            int id = s[0];
            if (id == 5) {
                continue; // the memory is imported now
            }
            if (id == 2) {
                pos = s[2];
                long count = leb();
                ByteArrayOutputStream payload = new ByteArrayOutputStream();
                writeLeb(payload, count + 1);
                payload.write(bytes, pos, s[3] - pos);
                payload.write(newEntry, 0, newEntry.length);
                writeSection(out, 2, payload.toByteArray());
                written = true;
                continue;
            }
            if (!written && id != 0 && id != 1) { // the import section comes right after the type section
                ByteArrayOutputStream payload = new ByteArrayOutputStream();
                writeLeb(payload, 1);
                payload.write(newEntry, 0, newEntry.length);
                writeSection(out, 2, payload.toByteArray());
                written = true;
            }
            out.write(bytes, s[1], s[3] - s[1]);
        }
        if (!written) {
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            writeLeb(payload, 1);
            payload.write(newEntry, 0, newEntry.length);
            writeSection(out, 2, payload.toByteArray());
        }
        return out.toByteArray();
    }

    /** The name memory 0 is exported under, if it is exported. */
    public Optional<String> memoryExport() {
        return Optional.ofNullable(memoryExport);
    }

    /**
     * The module with the maximum of its one defined memory set to {@code pages}; the bytes as they
     * are when the module defines no memory or has more than one.
     */
    public byte[] withMemoryMaximum(long pages) {
        if (definedMemory().isEmpty() || memoryCount != 1) {
            return bytes;
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        writeLeb(payload, 1);
        payload.write(memory.shared() ? 3 : 1);
        writeLeb(payload, memory.initial());
        writeLeb(payload, pages);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 16);
        out.write(bytes, 0, 8);
        for (int[] s : sections) {
            if (s[0] == 5) {
                writeSection(out, 5, payload.toByteArray());
            } else {
                out.write(bytes, s[1], s[3] - s[1]);
            }
        }
        return out.toByteArray();
    }

    private int[] section(int id) {
        for (int[] s : sections) {
            if (s[0] == id) {
                return s;
            }
        }
        throw new IllegalStateException("no section " + id);
    }

    private static void writeSection(ByteArrayOutputStream out, int id, byte[] payload) {
        out.write(id);
        writeLeb(out, payload.length);
        out.write(payload, 0, payload.length);
    }

    private static void writeName(ByteArrayOutputStream out, String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        writeLeb(out, utf8.length);
        out.write(utf8, 0, utf8.length);
    }

    private static void writeLeb(ByteArrayOutputStream out, long value) {
        do {
            int b = (int) (value & 0x7f);
            value >>>= 7;
            out.write(value == 0 ? b : b | 0x80);
        } while (value != 0);
    }
}
