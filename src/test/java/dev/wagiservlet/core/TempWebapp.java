package dev.wagiservlet.core;

import java.io.InputStream;
import java.nio.file.Path;

/** A webapp that is only a temporary directory, for the core's tests. */
record TempWebapp(Path temp) implements Webapp {
    @Override
    public String contextPath() {
        return "";
    }

    @Override
    public String realPath(String resource) {
        return null;
    }

    @Override
    public InputStream resource(String resource) {
        return null;
    }

    @Override
    public ClassLoader classLoader() {
        return TempWebapp.class.getClassLoader();
    }

    @Override
    public Path tempDirectory() {
        return temp;
    }
}
