package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** Routes on the wasmtime engine in Eclipse Jetty 12 (ee10). */
class JettyWasmtimeIT extends WasmtimeContract {

    @Override
    ServletContainer newContainer() {
        return ServletContainer.jetty();
    }
}
