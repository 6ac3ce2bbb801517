package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** The WAGI contract in Eclipse Jetty 12 (ee10). */
class JettyWagiFilterIT extends WagiFilterContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.jetty();
    }
}
