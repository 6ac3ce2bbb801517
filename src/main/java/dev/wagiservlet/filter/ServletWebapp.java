package dev.wagiservlet.filter;

import dev.wagiservlet.core.Webapp;
import jakarta.servlet.ServletContext;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Path;

/** The gateway's {@link Webapp} over the servlet context. */
record ServletWebapp(ServletContext context) implements Webapp {

    @Override
    public String contextPath() {
        return context.getContextPath();
    }

    @Override
    public String realPath(String resource) {
        return context.getRealPath(resource);
    }

    @Override
    public InputStream resource(String resource) {
        return context.getResourceAsStream(resource);
    }

    @Override
    public ClassLoader classLoader() {
        return context.getClassLoader();
    }

    @Override
    public Path tempDirectory() {
        return ((File) context.getAttribute(ServletContext.TEMPDIR)).toPath();
    }
}
