package dev.wagiservlet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.config.ConfigException;
import dev.wagiservlet.config.InitParameters;
import dev.wagiservlet.config.WagiSettings;
import dev.wagiservlet.config.WagiSettingsReader;
import dev.wagiservlet.metrics.FilterMetrics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How deep a module may recurse ({@code module_stack_size}): {@code deep.wasm} recurses as deep as
 * its query asks. Requests are served from a thread with a small stack (256 KiB, as a container
 * started with a small {@code -Xss} has), to show the depth depends on the setting only.
 * wasmtime's default wasm stack (512 KiB) gives this module about 16,300 levels (measured in
 * {@code WasmtimeDepthTest}); every engine must give at least that.
 */
class RecursionDepthTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));
    private static final long SMALL_STACK = 256 << 10;
    /** Comfortably more than wasmtime's default wasm stack gives deep.wasm (16,329 levels). */
    static final int DEPTH = 20_000;

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"compiler", "interpreter", "wasmtime"})
    void modulesRecurseDeeperThanWasmtimesDefaultWhateverTheCallersStack(String engine) throws Exception {
        FilterMetrics metrics = new FilterMetrics("test", "/");
        Gateway gateway = start(engine, null, metrics);
        try {
            FakePort deep = serveOnSmallStack(gateway, FakePort.get("/deep", Integer.toString(DEPTH)));
            assertEquals(200, deep.status, deep.body());
            assertEquals("reached " + DEPTH + "\n", deep.body());

            FakePort endless = serveOnSmallStack(gateway, FakePort.get("/deep", "2000000000"));
            assertEquals(500, endless.status, "a recursion past the stack is a trap, answered before anything was sent");
            assertEquals(1, metrics.routes().get(0).errorsByKind().get("trap"));

            FakePort after = serveOnSmallStack(gateway, FakePort.get("/deep", "10"));
            assertEquals("reached 10\n", after.body(), "the module thread serves on after a stack overflow");
        } finally {
            gateway.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"compiler", "interpreter"})
    void onTheRequestThreadTheDepthIsTheContainersStack(String engine) throws Exception {
        Gateway gateway = start(engine, "0", new FilterMetrics("test", "/"));
        try {
            FakePort deep = serveOnSmallStack(gateway, FakePort.get("/deep", Integer.toString(DEPTH)));
            assertEquals(500, deep.status, "module_stack_size = 0: the run has what is left of the caller's 256 KiB");
            assertEquals("reached 10\n", serveOnSmallStack(gateway, FakePort.get("/deep", "10")).body());
        } finally {
            gateway.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wasmtime", "auto"})
    void wasmtimeNeedsModuleThreads(String engine) throws Exception {
        if (engine.equals("wasmtime")) {
            ConfigException e = assertThrows(ConfigException.class, () -> start(engine, "0", new FilterMetrics("test", "/")));
            assertTrue(e.getMessage().contains("module_stack_size"), e.getMessage());
        } else {
            Gateway gateway = start(engine, "0", new FilterMetrics("test", "/"));
            try {
                assertEquals("chicory", gateway.routes().get(0).mounted().engine(), "auto falls back to Chicory");
            } finally {
                gateway.stop();
            }
        }
    }

    private Gateway start(String engine, String stackSize, FilterMetrics metrics) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("routes.deep.route", "/deep");
        params.put("routes.deep.module", MODULES.resolve("deep.wasm").toString());
        params.put("engine", engine);
        if (stackSize != null) {
            params.put("module-stack-size", stackSize);
        }
        WagiSettings settings = WagiSettingsReader.read(InitParameters.read(params, "test"), "test");
        return Gateway.start("test", settings, new TempWebapp(temp), metrics);
    }

    private static FakePort serveOnSmallStack(Gateway gateway, FakePort port) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = new Thread(null, () -> {
            try {
                assertTrue(gateway.serve(port, port.request().requestUri(), "localhost", 8080));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack-caller", SMALL_STACK);
        caller.start();
        caller.join(120_000);
        if (failure.get() != null) {
            throw new AssertionError("serving failed", failure.get());
        }
        return port;
    }
}
