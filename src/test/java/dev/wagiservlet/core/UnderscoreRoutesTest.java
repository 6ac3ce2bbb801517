package dev.wagiservlet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.config.ConfigException;
import dev.wagiservlet.config.Limits;
import dev.wagiservlet.config.Location;
import dev.wagiservlet.config.RouteConfig;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.chicory.ChicoryEngine;
import dev.wagiservlet.routing.RoutePattern;
import dev.wagiservlet.routing.SubRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code _routes} runs bounded: by the route's timeout, 1 MiB of stdout and the route's memory cap. */
class UnderscoreRoutesTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));
    private static final String ORIGIN = "modules.toml [[module]] 1";
    private static final RouteConfig ROUTE = RouteConfig.of(RoutePattern.parse("/dyn/..."),
            new Location.HostFile(Path.of("/x.wasm")), ORIGIN);

    private final ModuleThreads threads = new ModuleThreads("test-module", 8L << 20);
    private final UnderscoreRoutes underscoreRoutes = new UnderscoreRoutes(threads);

    @AfterEach
    void close() {
        underscoreRoutes.close();
        threads.close();
        Thread.interrupted();
    }

    private static Limits timeout(Duration timeout) {
        Limits d = Limits.DEFAULTS;
        return new Limits(timeout, d.maxMemory(), d.maxConcurrency(), d.maxBodySize(), d.maxHeaderSize(), d.maxOutputSize(),
                d.maxStderrSize(), d.maxStderrLines());
    }

    private static final ChicoryEngine ENGINE = new ChicoryEngine(false);

    @AfterAll
    static void closeEngine() {
        ENGINE.close();
    }

    private static CompiledModule module(String name) throws Exception {
        Path file = MODULES.resolve(name + ".wasm");
        return ENGINE.compile(file.toString(), Files.readAllBytes(file));
    }

    @Test
    void declaredRoutesAreJoinedOntoTheMount() throws Exception {
        List<SubRoutes.SubRoute> routes = underscoreRoutes.declared(ROUTE, Limits.DEFAULTS, module("multi"));
        assertEquals(List.of("/dyn/hello", "/dyn/goodbye"), routes.stream().map(r -> r.pattern().text()).toList());
    }

    @Test
    void aRoutesExportThatNeverReturnsTimesOut() throws Exception {
        CompiledModule loop = module("routes-loop");
        long start = System.nanoTime();
        ConfigException e = assertThrows(ConfigException.class, () -> underscoreRoutes.declared(ROUTE, timeout(Duration.ofMillis(300)), loop));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000, "stopped at its timeout");
        assertEquals(ORIGIN + ": " + loop.name() + ": _routes timed out after 300ms (the route's timeout)", e.getMessage());
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt that stopped it is cleared");
        assertEquals(2, underscoreRoutes.declared(ROUTE, Limits.DEFAULTS, module("multi")).size(), "the thread runs on normally");
    }

    @Test
    void aRoutesExportThatWritesWithoutEndIsStoppedAt1MiB() throws Exception {
        CompiledModule flood = module("routes-flood");
        ConfigException e = assertThrows(ConfigException.class, () -> underscoreRoutes.declared(ROUTE, Limits.DEFAULTS, flood));
        assertEquals(ORIGIN + ": " + flood.name() + ": _routes wrote more than 1048576 bytes (1 MiB) to stdout", e.getMessage());
    }

    @Test
    void outOfMemoryBecomesAConfigException() {
        CompiledModule hungry = fake(invocation -> {
            throw new OutOfMemoryError("Java heap space");
        });
        ConfigException e = assertThrows(ConfigException.class, () -> underscoreRoutes.declared(ROUTE, Limits.DEFAULTS, hungry));
        assertEquals(ORIGIN + ": fake.wasm: _routes ran out of memory: java.lang.OutOfMemoryError: Java heap space", e.getMessage());
    }

    @Test
    void anyOtherThrowableBecomesAConfigException() {
        CompiledModule broken = fake(invocation -> {
            throw new IllegalStateException("boom");
        });
        ConfigException e = assertThrows(ConfigException.class, () -> underscoreRoutes.declared(ROUTE, Limits.DEFAULTS, broken));
        assertEquals(ORIGIN + ": fake.wasm: _routes failed: java.lang.IllegalStateException: boom", e.getMessage());
    }

    @Test
    void theRunGetsTheRoutesMemoryCap() {
        AtomicLong cap = new AtomicLong();
        CompiledModule module = fake(invocation -> {
            cap.set(invocation.maxMemory());
            invocation.stdout().write("/a a\n".getBytes());
        });
        Limits d = Limits.DEFAULTS;
        Limits limits = new Limits(d.timeout(), 8 << 20, d.maxConcurrency(), d.maxBodySize(), d.maxHeaderSize(), d.maxOutputSize(),
                d.maxStderrSize(), d.maxStderrLines());
        assertEquals(1, underscoreRoutes.declared(ROUTE, limits, module).size());
        assertEquals(8 << 20, cap.get());
    }

    @Test
    void closeEndsTheTimersThread() throws Exception {
        underscoreRoutes.declared(ROUTE, Limits.DEFAULTS, module("multi"));
        assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("wagi-routes-timeout")));
        underscoreRoutes.close();
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("wagi-routes-timeout")));
    }

    private interface Run {
        void run(WasiInvocation invocation) throws Exception;
    }

    private static CompiledModule fake(Run run) {
        return new CompiledModule() {
            @Override
            public String name() {
                return "fake.wasm";
            }

            @Override
            public boolean hasEntrypoint(String function) {
                return true;
            }

            @Override
            public void run(WasiInvocation invocation) {
                try {
                    run.run(invocation);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
