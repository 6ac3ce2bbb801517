package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** The status page in Eclipse Jetty 12. */
class JettyStatusPageIT extends StatusPageContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.jetty();
    }
}
