package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** The WAGI contract in Eclipse Jetty 12 (ee10) with every route on the wasmtime engine ({@code WAGI_ENGINE=wasmtime}). */
class JettyWagiFilterWasmtimeIT extends WagiFilterContract {

    @Override
    ServletContainer newContainer() {
        return ServletContainer.jetty();
    }

    @Override
    String engine() {
        return "wasmtime";
    }
}
