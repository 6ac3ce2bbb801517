package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** oci: modules from a real registry in Apache Tomcat 11. */
class TomcatOciRegistryIT extends OciRegistryContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.tomcat();
    }
}
