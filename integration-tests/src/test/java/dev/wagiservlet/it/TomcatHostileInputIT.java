package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** Hostile clients and modules in Apache Tomcat 11. */
class TomcatHostileInputIT extends HostileInputContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.tomcat();
    }
}
