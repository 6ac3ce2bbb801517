/**
 * The servlet adapter: {@link dev.wagiservlet.filter.WagiFilter} reads its settings, starts a
 * {@link dev.wagiservlet.core.Gateway} and hands it each request through a servlet
 * {@link dev.wagiservlet.core.HttpPort}; also the status page and the landing page. The only
 * package that imports {@code jakarta.servlet}.
 */
package dev.wagiservlet.filter;
