package dev.wagiservlet.engine.chicory;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.engine.ModuleLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What only the Chicory engine does; the contract every engine keeps is {@code EngineContractTest}. */
class ChicoryEngineTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));

    private static ChicoryEngine engine(boolean compile) {
        return new ChicoryEngine(compile);
    }

    @Test
    void aTextFormatModuleIsNamedWithHowToCompileIt() throws IOException {
        Path wat = MODULES.resolveSibling("wat").resolve("trap.wat");
        ModuleLoadException e = assertThrows(ModuleLoadException.class,
                () -> engine(false).compile("/srv/wasm/trap.wat", Files.readAllBytes(wat)));
        assertTrue(e.getMessage().contains("/srv/wasm/trap.wat is in the WebAssembly text format"), e.getMessage());
        assertTrue(e.getMessage().contains("wat2wasm /srv/wasm/trap.wat -o /srv/wasm/trap.wasm"), e.getMessage());
        assertTrue(e.getMessage().contains("wabt"), e.getMessage());
        ModuleLoadException module = assertThrows(ModuleLoadException.class,
                () -> engine(false).compile("m.wasm", "(module)".getBytes(StandardCharsets.UTF_8)));
        assertTrue(module.getMessage().contains("m.wasm is in the WebAssembly text format"), module.getMessage());
    }

    @Test
    void legacyExceptionHandlingIsNamedAtLoadTime() throws IOException {
        Path file = MODULES.resolve("legacy-exceptions.wasm");
        ModuleLoadException e = assertThrows(ModuleLoadException.class,
                () -> engine(true).compile(file.toString(), Files.readAllBytes(file)));
        assertTrue(e.getMessage().contains("uses legacy WebAssembly exception handling (the 'try' instruction, opcode 0x06)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("try_table"), e.getMessage());
    }
}
