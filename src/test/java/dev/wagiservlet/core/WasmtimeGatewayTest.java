package dev.wagiservlet.core;

/**
 * The same requests as {@link GatewayTest}, every route without an engine of its own on wasmtime
 * ({@code engine = wasmtime}): the failure table holds on the native engine too, the memory budget's
 * 503 included (a grow is booked at the module's next host call there).
 */
class WasmtimeGatewayTest extends GatewayTest {

    @Override
    String engineSetting() {
        return "wasmtime";
    }
}
