package dev.wagiservlet.engine.chicory;

import dev.wagiservlet.engine.WasmEngine;
import dev.wagiservlet.engine.WasmEngineProvider;

/** Provides the {@link ChicoryEngine}, named {@code chicory}: pure Java, so it runs wherever the JVM does. */
public final class ChicoryEngineProvider implements WasmEngineProvider {

    @Override
    public String name() {
        return "chicory";
    }

    @Override
    public WasmEngine create(Options options) {
        return new ChicoryEngine(!options.interpret(), options.codeCache().orElse(null));
    }
}
