package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** Bad configurations in Apache Tomcat 11. */
class TomcatBadConfigurationIT extends BadConfigurationContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.tomcat();
    }
}
