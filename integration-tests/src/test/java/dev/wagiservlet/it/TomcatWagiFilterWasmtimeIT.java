package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;

/** The WAGI contract in Apache Tomcat 11 with every route on the wasmtime engine ({@code WAGI_ENGINE=wasmtime}). */
class TomcatWagiFilterWasmtimeIT extends WagiFilterContract {

    @Override
    ServletContainer newContainer() {
        return ServletContainer.tomcat();
    }

    @Override
    String engine() {
        return "wasmtime";
    }
}
