package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** Hostile clients and modules in Eclipse Jetty 12. */
class JettyHostileInputIT extends HostileInputContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.jetty();
    }
}
