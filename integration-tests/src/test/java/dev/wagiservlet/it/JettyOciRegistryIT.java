package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** oci: modules from a real registry in Eclipse Jetty 12 (ee10). */
class JettyOciRegistryIT extends OciRegistryContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.jetty();
    }
}
