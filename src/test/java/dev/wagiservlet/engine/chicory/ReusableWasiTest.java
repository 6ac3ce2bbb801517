package dev.wagiservlet.engine.chicory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.http.OutboundHttpPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WASI contexts are lent to one run after another of a module: each run sees only its own argv,
 * environment and streams, and a context a run has changed is not lent again.
 */
class ReusableWasiTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));

    private static CompiledModule module(String name, boolean compile) throws Exception {
        return new ChicoryEngine(compile).compile(name, Files.readAllBytes(MODULES.resolve(name + ".wasm")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void eachRunSeesItsOwnArgvEnvironmentAndStdin(boolean compile) throws Exception {
        CompiledModule env = module("env", compile);
        for (int run = 0; run < 40; run++) {
            // runs with more and with fewer (and longer and shorter) strings than the one before
            int count = run % 2 == 0 ? 7 : 1;
            List<String> argv = new ArrayList<>();
            Map<String, String> environment = new LinkedHashMap<>();
            StringBuilder expected = new StringBuilder("Content-Type: text/plain\n\n");
            for (int i = 0; i < count; i++) {
                argv.add("arg-" + run + "-" + i + "-é".repeat(i));
                expected.append("argv[").append(i).append("]=").append(argv.get(i)).append('\n');
            }
            for (int i = 0; i < count; i++) {
                environment.put("VAR_" + i, "value " + run + " ü".repeat(count - i));
            }
            environment.forEach((k, v) -> expected.append(k).append('=').append(v).append('\n'));
            String body = "x".repeat(run * 37);
            expected.append("body_len=").append(body.length()).append('\n');
            assertEquals(expected.toString(), run(env, argv, environment, body), "run " + run);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aRunThatClosedItsStdoutDoesNotTakeItFromTheNext(boolean compile) throws Exception {
        CompiledModule closing = module("close-stdout", compile);
        for (int run = 0; run < 5; run++) {
            assertEquals("Content-Type: text/plain\n\nbefore\n", run(closing, List.of("close-stdout"), Map.of(), ""), "run " + run);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void runsAfterAnExitOrATrapStartAfresh(boolean compile) throws Exception {
        CompiledModule exit1 = module("exit1", compile);
        CompiledModule midfail = module("midfail", compile);
        for (int run = 0; run < 5; run++) {
            assertEquals(1, assertThrows(ModuleExecutionException.class,
                    () -> run(exit1, List.of("exit1"), Map.of(), "")).exitCode());
            assertThrows(ModuleExecutionException.class, () -> run(midfail, List.of("midfail"), Map.of(), ""));
        }
        CompiledModule env = module("env", compile);
        assertEquals("Content-Type: text/plain\n\nargv[0]=env\nA=b\nbody_len=2\n", run(env, List.of("env"), Map.of("A", "b"), "hi"));
    }

    private static String run(CompiledModule module, List<String> argv, Map<String, String> env, String stdin) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        module.run(new WasiInvocation("_start", argv, env, Map.of(),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), stdout, new ByteArrayOutputStream(),
                OutboundHttpPolicy.DENY_ALL, 1L << 26));
        return stdout.toString(StandardCharsets.UTF_8);
    }
}
