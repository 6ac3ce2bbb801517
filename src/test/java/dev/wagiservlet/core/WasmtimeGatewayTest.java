package dev.wagiservlet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The same requests as {@link GatewayTest}, every route without an engine of its own on wasmtime
 * ({@code engine = wasmtime}): the failure table holds on the native engine too.
 */
class WasmtimeGatewayTest extends GatewayTest {

    @Override
    String engineSetting() {
        return "wasmtime";
    }

    /** wasmtime-java has no hook on memory.grow: only the initial memory is booked, so 100 MiB of grows pass a 64 MiB budget. */
    @Override
    @Test
    void theMemoryBudgetRefusesWhatDoesNotFit() throws Exception {
        FakePort port = serve(FakePort.get("/grow"));
        assertEquals(200, port.status, "grows are not booked on wasmtime (docs/engines.md)");
    }
}
