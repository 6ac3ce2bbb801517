/**
 * Routes as patterns ({@code /hello}, {@code /static/...}), the table that picks the most specific
 * one for a raw request path and host, {@code _routes} output, and the check that a raw path is
 * what the container authorised. Depends on nothing else of the project.
 */
package dev.wagiservlet.routing;
