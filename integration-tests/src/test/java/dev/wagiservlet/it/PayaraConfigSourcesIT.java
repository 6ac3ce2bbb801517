package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** MicroProfile Config sources (file, environment, system properties) in the WAR and a library webapp, in Payara. */
class PayaraConfigSourcesIT extends ServerConfigSourcesContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.payara();
    }

    @Override
    boolean serverHasMicroProfile() {
        return true;
    }
}
