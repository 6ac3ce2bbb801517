/**
 * Per-route and per-filter metrics (requests, latencies, errors by kind, the module cache),
 * shown as MXBeans, Micrometer meters and on the status page.
 */
package dev.wagiservlet.metrics;
