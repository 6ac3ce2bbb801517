package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** Bad configurations in Eclipse Jetty 12 (ee10). */
class JettyBadConfigurationIT extends BadConfigurationContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.jetty();
    }
}
