package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** Deep recursion on both engines in Eclipse Jetty 12 (ee10). */
class JettyRecursionIT extends RecursionContract {

    @Override
    ServletContainer newContainer() {
        return ServletContainer.jetty();
    }
}
