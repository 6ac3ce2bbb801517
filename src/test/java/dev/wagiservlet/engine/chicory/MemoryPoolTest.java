package dev.wagiservlet.engine.chicory;

import static dev.wagiservlet.engine.MemoryAccount.UNLIMITED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.http.OutboundHttpPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Linear memories are reused between runs of a module, and nothing of one run survives into the next. */
class MemoryPoolTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));

    /**
     * residue writes one word; residue-blocks writes with every kind of store, across 4 KiB block
     * edges, by fill, copy, memory.init and fd_read, and scans all of its memory on the next run.
     */
    @ParameterizedTest
    @CsvSource({"residue, true", "residue, false", "residue-blocks, true", "residue-blocks, false"})
    void aReusedMemoryIsZeroed(String name, boolean compile) throws Exception {
        CompiledModule module = new ChicoryEngine(compile).compile(name, Files.readAllBytes(MODULES.resolve(name + ".wasm")));
        for (long cap : new long[] {0, 1L << 20}) { // with the module's own maximum, and with a cap
            for (int run = 0; run < 50; run++) {
                assertEquals("Content-Type: text/plain\n\nclean\n", run(module, cap), name + " run " + run + ", cap " + cap);
            }
        }
    }

    @Test
    void aMemoryIsReusedAtTheLimitsItWasMadeFor() {
        MemoryPool pool = new MemoryPool();
        MemoryLimits unbounded = new MemoryLimits(2); // no maximum: Chicory lowers the memory's own to fit Java arrays
        Memory first = pool.take(unbounded, UNLIMITED);
        pool.giveBack(first);
        assertSame(first, pool.take(unbounded, UNLIMITED));
        pool.giveBack(first);
        assertNotSame(first, pool.take(new MemoryLimits(2, 100), UNLIMITED), "other limits: a new memory");
    }

    @Test
    void grownOrLargeMemoriesAreNotKept() {
        MemoryPool pool = new MemoryPool();
        Memory grown = pool.take(new MemoryLimits(1, 10), UNLIMITED);
        grown.grow(1);
        pool.giveBack(grown);
        assertNotSame(grown, pool.take(new MemoryLimits(1, 10), UNLIMITED));
        MemoryLimits large = new MemoryLimits(65, 65); // over 4 MiB
        Memory big = pool.take(large, UNLIMITED);
        pool.giveBack(big);
        assertNotSame(big, pool.take(large, UNLIMITED));
    }

    private static String run(CompiledModule module, long maxMemory) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        byte[] stdin = "stdin that the module reads into its memory".getBytes(StandardCharsets.UTF_8);
        module.run(new WasiInvocation("_start", List.of("residue"), Map.of(), Map.of(), new ByteArrayInputStream(stdin),
                stdout, new ByteArrayOutputStream(), OutboundHttpPolicy.DENY_ALL, maxMemory));
        return stdout.toString(StandardCharsets.UTF_8);
    }
}
