/**
 * Outbound HTTP for modules, engine-neutral: the allow-list ({@code allowed_hosts}), the
 * per-route policy, and the JDK HTTP client that follows redirects only where the list allows.
 */
package dev.wagiservlet.engine.http;
