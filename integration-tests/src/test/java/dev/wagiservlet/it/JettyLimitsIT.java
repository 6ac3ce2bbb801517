package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** Limits and faults in Eclipse Jetty 12 (ee10). */
class JettyLimitsIT extends LimitsContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.jetty();
    }
}
