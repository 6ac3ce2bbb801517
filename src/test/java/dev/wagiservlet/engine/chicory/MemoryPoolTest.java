package dev.wagiservlet.engine.chicory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.OutboundHttpPolicy;
import dev.wagiservlet.engine.WasiInvocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Linear memories are reused between runs of a module, and nothing of one run survives into the next. */
class MemoryPoolTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aReusedMemoryIsZeroed(boolean compile) throws Exception {
        CompiledModule module = new ChicoryEngine(compile).compile("residue", Files.readAllBytes(MODULES.resolve("residue.wasm")));
        for (long cap : new long[] {0, 1L << 20}) { // with the module's own maximum, and with a cap
            for (int run = 0; run < 50; run++) {
                assertEquals("Content-Type: text/plain\n\nclean\n", run(module, cap), "run " + run + ", cap " + cap);
            }
        }
    }

    private static String run(CompiledModule module, long maxMemory) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        module.run(new WasiInvocation("_start", List.of("residue"), Map.of(), Map.of(), new ByteArrayInputStream(new byte[0]),
                stdout, new ByteArrayOutputStream(), OutboundHttpPolicy.DENY_ALL, maxMemory));
        return stdout.toString(StandardCharsets.UTF_8);
    }
}
