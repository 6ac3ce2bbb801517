package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
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
import java.util.List;
import java.util.OptionalLong;

/**
 * The most JVM stack a run of a module's function can take on Chicory, when the module cannot
 * recurse: its call graph (direct calls, and indirect ones to every function of the same type a
 * table or {@code ref.func} can hold) has no cycle from that function, so the deepest chain of
 * calls is known, and each frame's size is bounded by its locals. A module that may recurse, or
 * imports a table (the host could put anything in it), has no bound.
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
    private final int imported;
    /** The types of the imported functions, by function index. */
    private final List<FunctionType> importTypes = new ArrayList<>();
    private final List<List<Integer>> callees = new ArrayList<>();
    private final long[] bound;
    private final BitSet onPath = new BitSet();

    private CallDepth(WasmModule module) {
        this.module = module;
        this.imported = module.importSection().count(ExternalType.FUNCTION);
        module.importSection().stream().filter(i -> i instanceof FunctionImport)
                .forEach(i -> importTypes.add(module.typeSection().getType(((FunctionImport) i).typeIndex())));
        int defined = module.functionSection().functionCount();
        this.bound = new long[imported + defined];
        Arrays.fill(bound, UNKNOWN);
        BitSet referenced = referencedFunctions(module);
        for (int i = 0; i < defined; i++) {
            callees.add(callees(module.codeSection().getFunctionBody(i), referenced));
        }
    }

    /**
     * The bound, in bytes, for a run that calls {@code entrypoint} (after the module's start
     * function, if it has one); empty if the module may recurse from there, imports a table, or has
     * no such export.
     */
    static OptionalLong of(WasmModule module, String entrypoint) {
        if (module.importSection().count(ExternalType.TABLE) > 0) {
            return OptionalLong.empty();
        }
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
            CallDepth depth = new CallDepth(module);
            long entry = depth.bound(function);
            long start = module.startSection().map(s -> depth.bound((int) s.startIndex())).orElse(0L);
            return entry < 0 || start < 0 ? OptionalLong.empty() : OptionalLong.of(Math.max(entry, start));
        } catch (StackOverflowError e) { // a call chain too long to walk here is too deep to run here
            return OptionalLong.empty();
        }
    }

    /** Functions an indirect call may reach: those in element segments, and those named by {@code ref.func}. */
    private static BitSet referencedFunctions(WasmModule module) {
        BitSet referenced = new BitSet();
        for (Element element : module.elementSection().elements()) {
            element.initializers().forEach(init -> refFuncs(init, referenced));
        }
        for (Global global : module.globalSection().globals()) {
            refFuncs(global.initInstructions(), referenced);
        }
        for (FunctionBody body : module.codeSection().functionBodies()) {
            refFuncs(body.instructions(), referenced);
        }
        return referenced;
    }

    private static void refFuncs(List<? extends Instruction> instructions, BitSet referenced) {
        for (Instruction instruction : instructions) {
            if (instruction.opcode() == OpCode.REF_FUNC) {
                referenced.set((int) instruction.operand(0));
            }
        }
    }

    private List<Integer> callees(FunctionBody body, BitSet referenced) {
        List<Integer> out = new ArrayList<>();
        for (AnnotatedInstruction instruction : body.instructions()) {
            switch (instruction.opcode()) {
                case CALL, RETURN_CALL -> out.add((int) instruction.operand(0));
                case CALL_INDIRECT, RETURN_CALL_INDIRECT, CALL_REF, RETURN_CALL_REF -> {
                    FunctionType type = module.typeSection().getType((int) instruction.operand(0));
                    referenced.stream().filter(f -> type.equals(typeOf(f))).forEach(out::add);
                }
                default -> { }
            }
        }
        return out;
    }

    private FunctionType typeOf(int function) {
        return function < imported ? importTypes.get(function) : module.functionSection().getFunctionType(function - imported,
                module.typeSection());
    }

    /** The stack from this function down; {@link #CYCLE} if a call chain from it comes back to a function on it. */
    private long bound(int function) {
        if (function < imported) {
            return 0; // a host function: its frames are the host's, as a servlet's would be
        }
        if (onPath.get(function)) {
            return CYCLE;
        }
        if (bound[function] != UNKNOWN) {
            return bound[function];
        }
        onPath.set(function);
        FunctionBody body = module.codeSection().getFunctionBody(function - imported);
        long deepest = 0;
        for (int callee : callees.get(function - imported)) {
            long below = bound(callee);
            if (below == CYCLE) {
                deepest = CYCLE;
                break;
            }
            deepest = Math.max(deepest, below);
        }
        onPath.clear(function);
        int locals = module.functionSection().getFunctionType(function - imported, module.typeSection()).params().size()
                + body.localTypes().size();
        bound[function] = deepest == CYCLE ? CYCLE : deepest + FRAME + PER_LOCAL * locals;
        return bound[function];
    }
}
