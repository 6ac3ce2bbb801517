/**
 * The gateway, without servlets: owns a request from its match to its answer. {@link dev.wagiservlet.core.Gateway}
 * holds the routes ({@link dev.wagiservlet.core.RouteSet}), the compiled modules and the threads;
 * each request is an {@link dev.wagiservlet.core.Exchange} over an {@link dev.wagiservlet.core.HttpPort};
 * whatever goes wrong is a row of the {@link dev.wagiservlet.core.Failure} table. Admission, the
 * memory budget, run supervision (timeouts) and the output relay (hold and release) are small
 * pieces of their own. See ARCHITECTURE.md.
 */
package dev.wagiservlet.core;
