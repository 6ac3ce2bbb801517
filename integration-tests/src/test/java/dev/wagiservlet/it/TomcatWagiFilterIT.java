package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** The WAGI contract in Apache Tomcat 11. */
class TomcatWagiFilterIT extends WagiFilterContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.tomcat();
    }
}
