package dev.wagiservlet.engine.wasmtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.engine.Engines;
import dev.wagiservlet.engine.WasmEngine;
import dev.wagiservlet.engine.WasmEngineProvider;
import io.github.kawamuray.wasmtime.Engine;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NativeLibraryTest {

    @Test
    void eachPlatformOfTheJarHasItsLibraryName() {
        assertEquals("libwasmtime_jni_0.19.0_linux_x86_64.so", NativeLibrary.resourceName("Linux", "amd64", "0.19.0"));
        assertEquals("libwasmtime_jni_0.19.0_linux_aarch64.so", NativeLibrary.resourceName("Linux", "aarch64", "0.19.0"));
        assertEquals("libwasmtime_jni_0.19.0_macos_aarch64.dylib", NativeLibrary.resourceName("Mac OS X", "aarch64", "0.19.0"));
        assertEquals("wasmtime_jni_0.19.0_windows_x86_64.dll", NativeLibrary.resourceName("Windows 11", "amd64", "0.19.0"));
    }

    @Test
    void aPlatformWithoutALibraryIsNamedWithWhatToDo() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NativeLibrary.resourceName("Linux", "riscv64", "0.19.0"));
        assertTrue(e.getMessage().contains("no native library for linux on riscv64"), e.getMessage());
        assertTrue(e.getMessage().contains("engine = \"chicory\""), e.getMessage());
        assertThrows(IllegalStateException.class, () -> NativeLibrary.resourceName("FreeBSD", "amd64", "0.19.0"));
    }

    @Test
    void theLoaderClassDefinesAndLoads() throws Exception {
        try (WasmEngine engine = Engines.create(getClass().getClassLoader(), "wasmtime",
                new WasmEngineProvider.Options(false, Optional.empty()))) {
            Class<?> loader = Class.forName("io.github.kawamuray.wasmtime.WagiNativeLoad");
            assertEquals(Engine.class.getClassLoader(), loader.getClassLoader(), "System.load binds to wasmtime-java's loader");
            assertTrue(MethodHandles.lookup().findStatic(loader, "load", MethodType.methodType(void.class, String.class)) != null);
        }
    }
}
