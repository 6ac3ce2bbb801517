package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** Configuration features in Apache Tomcat 11. */
class TomcatConfigurationIT extends ConfigurationContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.tomcat();
    }
}
