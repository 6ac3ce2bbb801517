package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** Limits and faults in Apache Tomcat 11. */
class TomcatLimitsIT extends LimitsContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.tomcat();
    }
}
