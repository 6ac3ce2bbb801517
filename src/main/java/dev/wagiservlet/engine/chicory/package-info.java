/**
 * The Chicory engine: pure Java, modules compiled to JVM bytecode (or interpreted), WASI preview 1
 * with reused memories and WASI contexts, confined volumes, and the {@code wasi_experimental_http}
 * host functions.
 */
package dev.wagiservlet.engine.chicory;
