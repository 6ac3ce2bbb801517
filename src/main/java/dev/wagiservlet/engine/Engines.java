package dev.wagiservlet.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the engines on a class path by name. */
public final class Engines {

    private Engines() {}

    /**
     * A new engine from the provider of that name.
     *
     * @param loader the class loader to find providers with (the webapp's)
     * @throws IllegalArgumentException if no provider has that name, naming the ones there are
     */
    public static WasmEngine create(ClassLoader loader, String name, WasmEngineProvider.Options options) {
        List<String> names = new ArrayList<>();
        for (WasmEngineProvider provider : ServiceLoader.load(WasmEngineProvider.class, loader)) {
            if (provider.name().equals(name)) {
                return provider.create(options);
            }
            names.add(provider.name());
        }
        throw new IllegalArgumentException("no engine named '" + name + "'; the engines here are " + names);
    }
}
