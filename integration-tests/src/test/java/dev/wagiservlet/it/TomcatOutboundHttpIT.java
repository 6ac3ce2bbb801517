package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** Outbound HTTP from modules in Apache Tomcat 11. */
class TomcatOutboundHttpIT extends OutboundHttpContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.tomcat();
    }
}
