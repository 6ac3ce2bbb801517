package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** Deep recursion on both engines in Apache Tomcat 11. */
class TomcatRecursionIT extends RecursionContract {

    @Override
    ServletContainer newContainer() {
        return ServletContainer.tomcat();
    }
}
