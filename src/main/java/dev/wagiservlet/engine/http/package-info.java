/**
 * Outbound HTTP for modules, engine-neutral: the {@code wasi_experimental_http} ABI and the calls of
 * a run ({@link dev.wagiservlet.engine.http.ExperimentalHttpSession}, which each engine's host
 * functions call), the allow-list ({@code allowed_hosts}), the per-route policy, and the JDK HTTP
 * client that follows redirects only where the list allows.
 */
package dev.wagiservlet.engine.http;
