package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** The drop-in WAR with a user's wagi modules.toml, in Apache Tomcat 11. */
class TomcatDropInIT extends DropInContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.tomcat();
    }
}
