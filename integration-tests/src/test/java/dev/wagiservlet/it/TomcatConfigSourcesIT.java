package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** MicroProfile Config sources (file, environment, system properties) in the WAR and a library webapp, in Tomcat. */
class TomcatConfigSourcesIT extends ServerConfigSourcesContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.tomcat();
    }

    @Override
    boolean serverHasMicroProfile() {
        return false;
    }
}
