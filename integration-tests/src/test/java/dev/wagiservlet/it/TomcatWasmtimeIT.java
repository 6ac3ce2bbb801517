package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** Routes on the wasmtime engine in Apache Tomcat 11. */
class TomcatWasmtimeIT extends WasmtimeContract {

    @Override
    ServletContainer newContainer() {
        return ServletContainer.tomcat();
    }
}
