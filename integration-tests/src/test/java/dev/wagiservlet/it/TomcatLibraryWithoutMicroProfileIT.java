package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** A library webapp without MicroProfile Config, configured by the environment and system properties, in Apache Tomcat 11. */
class TomcatLibraryWithoutMicroProfileIT extends LibraryWithoutMicroProfileContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.tomcat();
    }
}
