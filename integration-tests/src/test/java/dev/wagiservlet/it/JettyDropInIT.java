package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** The drop-in WAR with a user's wagi modules.toml, in Eclipse Jetty 12. */
class JettyDropInIT extends DropInContract {
    @Override
    ServletContainer newContainer() {
        return ServletContainer.jetty();
    }
}
