package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Element;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Global;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.OpCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The most JVM stack a run of a module's function can take on Chicory, when the module cannot
 * recurse: its call graph (direct calls, and indirect ones to every function of the same type a
 * table or {@code ref.func} can hold) has no cycle from that function, so the deepest chain of
 * calls is known, and each frame's size is bounded by its locals. A module that may recurse, or
 * imports a table (the host could put anything in it), has no bound.
 *
 * <p>The graph is made once per module ({@link #of(WasmModule)}), in one pass over its code; the
 * functions an indirect call may reach are one node per function type, so a module with many
 * indirect calls (a Go build makes every call through a table) costs no more than its size.
 *
 * <p>Why: such a run can stay on the request's thread ({@code ModuleThreads}); only modules that
 * may recurse need a thread of a known stack size.
 */
final class CallDepth {

    /**
     * The stack a frame takes at most: the interpreter's frames (its loop, per call) or a
     * compiled function's JVM frame, either before the JIT has compiled them (the larger); plus
     * 16 bytes per parameter and local, for a compiled function's locals.
     */
    static final long FRAME = 2048;
    private static final long PER_LOCAL = 16;

    private static final long UNKNOWN = -1;
    private static final long CYCLE = -2;

    private final WasmModule module;
    /** Imported functions come first in the function index space; their frames are the host's. */
    private final int imported;
    /**
     * The nodes' callees: function {@code i} (imported ones have none), then one node per function
     * type that indirect calls may reach, whose callees are the functions of that type.
     */
    private final List<int[]> callees = new ArrayList<>();
    private final long[] frame;
    private final long[] bound;
    private final BitSet onPath = new BitSet();

    private CallDepth(WasmModule module) {
        this.module = module;
        this.imported = module.importSection().count(ExternalType.FUNCTION);
        int functions = imported + module.functionSection().functionCount();
        List<FunctionType> types = new ArrayList<>(functions);
        module.importSection().stream().filter(i -> i instanceof FunctionImport)
                .forEach(i -> types.add(module.typeSection().getType(((FunctionImport) i).typeIndex())));
        for (int i = imported; i < functions; i++) {
            types.add(module.functionSection().getFunctionType(i - imported, module.typeSection()));
        }

        BitSet referenced = new BitSet();
        for (Element element : module.elementSection().elements()) {
            element.initializers().forEach(init -> refFuncs(init, referenced));
        }
        for (Global global : module.globalSection().globals()) {
            refFuncs(global.initInstructions(), referenced);
        }
        List<BitSet> direct = new ArrayList<>();
        List<BitSet> indirect = new ArrayList<>(); // by type index
        for (FunctionBody body : module.codeSection().functionBodies()) {
            BitSet calls = new BitSet();
            BitSet typesCalled = new BitSet();
            for (Instruction instruction : body.instructions()) {
                switch (instruction.opcode()) {
                    case CALL, RETURN_CALL -> calls.set((int) instruction.operand(0));
                    case CALL_INDIRECT, RETURN_CALL_INDIRECT, CALL_REF, RETURN_CALL_REF -> typesCalled.set((int) instruction.operand(0));
                    case REF_FUNC -> referenced.set((int) instruction.operand(0));
                    default -> { }
                }
            }
            direct.add(calls);
            indirect.add(typesCalled);
        }

        Map<FunctionType, List<Integer>> reachableByType = new HashMap<>();
        referenced.stream().forEach(f -> reachableByType.computeIfAbsent(types.get(f), t -> new ArrayList<>()).add(f));
        Map<FunctionType, Integer> typeNode = new HashMap<>();
        for (int i = 0; i < functions; i++) {
            callees.add(new int[0]); // filled below, once the type nodes are numbered
        }
        reachableByType.forEach((type, members) -> {
            typeNode.put(type, callees.size());
            callees.add(members.stream().mapToInt(Integer::intValue).toArray());
        });
        for (int i = imported; i < functions; i++) {
            int[] typeNodes = indirect.get(i - imported).stream().mapToObj(t -> typeNode.get(module.typeSection().getType(t)))
                    .filter(node -> node != null).mapToInt(Integer::intValue).toArray();
            callees.set(i, concat(direct.get(i - imported).stream().toArray(), typeNodes));
        }

        this.frame = new long[callees.size()];
        for (int i = imported; i < functions; i++) {
            frame[i] = FRAME + PER_LOCAL * (types.get(i).params().size()
                    + module.codeSection().getFunctionBody(i - imported).localTypes().size());
        }
        this.bound = new long[callees.size()];
        Arrays.fill(bound, UNKNOWN);
    }

    /** The call graph of a module, for {@link #bound(String)}; null if it imports a table (the host could fill it with anything). */
    static CallDepth of(WasmModule module) {
        return module.importSection().count(ExternalType.TABLE) > 0 ? null : new CallDepth(module);
    }

    /**
     * The bound, in bytes, for a run that calls {@code entrypoint} (after the module's start
     * function, if it has one); empty if the module may recurse from there, or has no such export.
     */
    synchronized OptionalLong bound(String entrypoint) {
        int function = -1;
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export export = module.exportSection().getExport(i);
            if (export.exportType() == ExternalType.FUNCTION && export.name().equals(entrypoint)) {
                function = export.index();
            }
        }
        if (function < 0) {
            return OptionalLong.empty();
        }
        try {
            long entry = bound(function);
            long start = module.startSection().map(s -> bound((int) s.startIndex())).orElse(0L);
            return entry < 0 || start < 0 ? OptionalLong.empty() : OptionalLong.of(Math.max(entry, start));
        } catch (StackOverflowError e) { // a call chain too long to walk here is too deep to run here
            return OptionalLong.empty();
        }
    }

    private static void refFuncs(List<? extends Instruction> instructions, BitSet referenced) {
        for (Instruction instruction : instructions) {
            if (instruction.opcode() == OpCode.REF_FUNC) {
                referenced.set((int) instruction.operand(0));
            }
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** The stack from this node down; {@link #CYCLE} if a call chain from it comes back to a node on it. */
    private long bound(int node) {
        if (onPath.get(node)) {
            return CYCLE;
        }
        if (bound[node] != UNKNOWN) {
            return bound[node];
        }
        onPath.set(node);
        long deepest = 0;
        for (int callee : callees.get(node)) {
            long below = bound(callee);
            if (below == CYCLE) {
                deepest = CYCLE;
                break;
            }
            deepest = Math.max(deepest, below);
        }
        onPath.clear(node);
        bound[node] = deepest == CYCLE ? CYCLE : deepest + frame[node];
        return bound[node];
    }
}
