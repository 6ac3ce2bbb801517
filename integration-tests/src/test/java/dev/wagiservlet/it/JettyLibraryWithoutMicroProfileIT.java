package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** A library webapp without MicroProfile Config, configured by the environment and system properties, in Eclipse Jetty 12. */
class JettyLibraryWithoutMicroProfileIT extends LibraryWithoutMicroProfileContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.jetty();
    }
}
