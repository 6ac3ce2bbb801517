package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** Outbound HTTP from modules in Eclipse Jetty 12 (ee10). */
class JettyOutboundHttpIT extends OutboundHttpContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.jetty();
    }
}
