package dev.wagiservlet.core;

import dev.wagiservlet.config.Limits;
import dev.wagiservlet.config.RouteConfig;
import dev.wagiservlet.metrics.RouteMetrics;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * A route being served: what it runs, the slots its runs take, and the metrics its requests are
 * counted in. Made when routes are mounted (and again on each reload), never changed.
 *
 * @param mounted what a request to the route runs
 * @param slots the runs of this route at once ({@code max_concurrency}, or the default share)
 * @param metrics what its requests are counted in
 */
public record Route(MountedRoute mounted, Semaphore slots, RouteMetrics metrics) {

    /** The route as configured. */
    public RouteConfig config() {
        return mounted.config();
    }

    /** The route text, e.g. {@code /static/...}. */
    public String route() {
        return mounted.route();
    }

    /** The module file. */
    public Path moduleFile() {
        return mounted.moduleFile();
    }

    /** The function it calls. */
    public String entrypoint() {
        return mounted.entrypoint();
    }

    /** What one request to it may use. */
    public Limits limits() {
        return mounted.limits();
    }
}
