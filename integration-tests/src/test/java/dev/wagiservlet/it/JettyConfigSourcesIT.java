package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** MicroProfile Config sources (file, environment, system properties) in the WAR and a library webapp, in Jetty. */
class JettyConfigSourcesIT extends ServerConfigSourcesContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.jetty();
    }

    @Override
    boolean serverHasMicroProfile() {
        return false;
    }
}
