/**
 * The engine interface ({@link dev.wagiservlet.engine.WasmEngine}, {@link dev.wagiservlet.engine.CompiledModule},
 * {@link dev.wagiservlet.engine.WasiInvocation}) and how engines are found
 * ({@link dev.wagiservlet.engine.WasmEngineProvider}, by {@link java.util.ServiceLoader}). A run
 * gets its argv, environment, streams, volumes, outbound HTTP policy, memory cap and memory
 * account, and nothing else of the host.
 */
package dev.wagiservlet.engine;
