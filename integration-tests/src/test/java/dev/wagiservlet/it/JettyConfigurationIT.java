package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** Configuration features in Eclipse Jetty 12 (ee10). */
class JettyConfigurationIT extends ConfigurationContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.jetty();
    }
}
