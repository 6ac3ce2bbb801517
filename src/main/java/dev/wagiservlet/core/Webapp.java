package dev.wagiservlet.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The webapp the gateway serves in, as far as the gateway needs it: where its resources are, its
 * class loader and its temporary directory. The servlet filter implements it over the
 * {@code ServletContext}.
 */
public interface Webapp {

    /** The webapp's context path ({@code ""} at the root). */
    String contextPath();

    /** The file a webapp resource ({@code /WEB-INF/...}) is on disk, or null if it is not (a packed WAR). */
    String realPath(String resource);

    /** A webapp resource's bytes, or null if there is none. */
    InputStream resource(String resource) throws IOException;

    /** The webapp's class loader, for {@code classpath:} modules. */
    ClassLoader classLoader();

    /** The webapp's own temporary directory. */
    Path tempDirectory();
}
