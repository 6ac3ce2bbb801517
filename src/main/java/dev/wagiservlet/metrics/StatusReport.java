package dev.wagiservlet.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A filter's routes and metrics as a page: HTML for people (self-contained: no script, no external
 * style sheet, image or font; every value escaped) and JSON for programs. Servlet-neutral: the
 * filter's status route decides who may see it and which of the two to send.
 */
public final class StatusReport {

    private StatusReport() {}

    /**
     * The report as JSON:
     *
     * <pre>{@code
     * {"filter":"wagi","webapp":"/wagi","startedAt":"...","startupMillis":812,"uptimeSeconds":95,
     *  "requests":12,"inFlight":0,"errors":1,"reloads":0,"reloadFailures":0,
     *  "moduleCache":{"hits":9,"misses":3,"hitRatio":0.75,"compilations":3,"compileFailures":0,"compileMillisTotal":640.2},
     *  "routes":[{"route":"/hello","hosts":[],"module":"/srv/wasm/hello.wasm","moduleSize":1234,"entrypoint":"_start",
     *    "engine":"chicory","compile":{"state":"compiled","millis":210.5,"at":"...","compilations":1,"interpretedFunctions":0},
     *    "requests":5,"inFlight":0,"aborted":0,"errors":{"total":1,"trap":1,"exit":0,...},
     *    "responses":{"1xx":0,"2xx":4,"3xx":0,"4xx":0,"5xx":1},
     *    "latencyMillis":{"count":5,"mean":2.1,"p50":1.9,"p90":3.2,"p99":3.2,"max":3.3}}]}
     * }</pre>
     */
    public static String json(FilterMetrics metrics, Instant now) {
        Json json = new Json();
        ModuleMetrics modules = metrics.modules();
        json.open('{');
        json.field("filter").string(metrics.filterName());
        json.field("webapp").string(metrics.webapp());
        json.field("startedAt").string(metrics.startedAt().truncatedTo(ChronoUnit.MILLIS).toString());
        json.field("startupMillis").number(metrics.startupTime().map(Duration::toMillis).orElse(-1L));
        json.field("uptimeSeconds").number(Duration.between(metrics.startedAt(), now).toSeconds());
        json.field("requests").number(metrics.requests());
        json.field("inFlight").number(metrics.inFlight());
        json.field("errors").number(metrics.errors());
        json.field("reloads").number(metrics.reloads());
        json.field("reloadFailures").number(metrics.reloadFailures());
        json.field("moduleCache").open('{');
        json.field("hits").number(modules.hits());
        json.field("misses").number(modules.misses());
        json.field("hitRatio").number(modules.hitRatio());
        json.field("compilations").number(modules.compilations());
        json.field("compileFailures").number(modules.compileFailures());
        json.field("compileMillisTotal").number(modules.compileNanos() / 1e6);
        json.close('}');
        json.field("routes").open('[');
        for (RouteMetrics route : metrics.routes()) {
            RouteInfo info = route.info();
            Optional<ModuleMetrics.ModuleState> module = modules.state(info.module());
            json.element().open('{');
            json.field("route").string(info.route());
            json.field("hosts").open('[');
            info.hosts().stream().sorted().forEach(host -> json.element().string(host));
            json.close(']');
            json.field("module").string(info.module().toString());
            json.field("moduleSize").number(module.map(ModuleMetrics.ModuleState::size).orElse(-1L));
            json.field("entrypoint").string(info.entrypoint());
            json.field("engine").string(info.engine());
            json.field("compile").open('{');
            json.field("state").string(module.map(ModuleMetrics.ModuleState::state).orElse("not compiled"));
            if (module.isPresent()) {
                json.field("millis").number(module.get().compileMillis());
                json.field("at").string(module.get().compiledAt().truncatedTo(ChronoUnit.MILLIS).toString());
                json.field("compilations").number(module.get().compilations());
                json.field("interpretedFunctions").number(module.get().interpretedFunctions());
                if (!module.get().compiled()) {
                    json.field("failure").string(module.get().failure());
                }
            }
            json.close('}');
            json.field("requests").number(route.requests());
            json.field("inFlight").number(route.inFlight());
            json.field("aborted").number(route.abortedCount());
            json.field("errors").open('{');
            json.field("total").number(route.errors());
            route.errorsByKind().forEach((kind, count) -> json.field(kind).number(count));
            json.close('}');
            json.field("responses").open('{');
            route.responsesByStatusClass().forEach((statusClass, count) -> json.field(statusClass).number(count));
            json.close('}');
            LatencyHistogram.Snapshot latency = route.latency().snapshot();
            json.field("latencyMillis").open('{');
            json.field("count").number(latency.count());
            json.field("mean").number(latency.mean());
            json.field("p50").number(latency.p50());
            json.field("p90").number(latency.p90());
            json.field("p99").number(latency.p99());
            json.field("max").number(latency.max());
            json.close('}');
            json.close('}');
        }
        json.close(']');
        json.close('}');
        return json.toString();
    }

    /**
     * The report as an HTML page.
     *
     * @param jsonLink the (already URL-safe) link to the JSON form, e.g. {@code ?format=json}
     */
    public static String html(FilterMetrics metrics, Instant now, String jsonLink) {
        ModuleMetrics modules = metrics.modules();
        StringBuilder out = new StringBuilder(4096);
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>WAGI status: ").append(escape(metrics.webapp())).append("</title><style>")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;")
                .append("margin:1.5em 2em;color:#1d232b;background:#f6f7f9}")
                .append("h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.5em 0 .5em}")
                .append(".meta{color:#5b6672;margin:0 0 1em}a{color:#0b62c4}")
                .append(".cards{display:flex;flex-wrap:wrap;gap:.8em}")
                .append(".card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:.6em 1em;min-width:8em}")
                .append(".card .n{font-size:1.5em;font-weight:600}.card .l{color:#5b6672;font-size:.85em}")
                .append("table{border-collapse:collapse;background:#fff;border:1px solid #dde1e6;font-size:.92em}")
                .append("th,td{padding:.45em .8em;text-align:left;border-bottom:1px solid #eceff2;vertical-align:top}")
                .append("th{background:#eef1f4;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}")
                .append(".small{color:#5b6672;font-size:.85em}.ok{color:#17803d}.bad{color:#c0262d}")
                .append("code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono','Liberation Mono',monospace;")
                .append("font-size:.9em}")
                .append("</style></head><body>\n");
        out.append("<h1>WAGI status</h1>\n<p class=\"meta\">Filter <b>").append(escape(metrics.filterName()))
                .append("</b> in webapp <b>").append(escape(metrics.webapp())).append("</b> &middot; started ")
                .append(escape(metrics.startedAt().truncatedTo(ChronoUnit.SECONDS).toString()))
                .append(metrics.startupTime().map(d -> " in " + d.toMillis() + " ms").orElse(""))
                .append(" &middot; up ").append(escape(duration(Duration.between(metrics.startedAt(), now))))
                .append(" &middot; <a href=\"").append(escape(jsonLink)).append("\">JSON</a></p>\n");

        out.append("<div class=\"cards\">");
        card(out, Integer.toString(metrics.routes().size()), "routes");
        card(out, Long.toString(metrics.requests()), "requests");
        card(out, Long.toString(metrics.inFlight()), "in flight");
        card(out, Long.toString(metrics.errors()), "errors");
        card(out, modules.hits() + " / " + modules.misses(), "cache hits / misses (" + percent(modules.hitRatio()) + " hits)");
        card(out, Long.toString(modules.compilations()), "compilations, " + modules.compileFailures() + " failed, "
                + millis(modules.compileNanos() / 1e6) + " ms in all");
        card(out, Long.toString(metrics.reloads()), "reloads, " + metrics.reloadFailures() + " failed");
        out.append("</div>\n");

        out.append("<h2>Routes</h2>\n<table id=\"routes\"><thead><tr><th>Route</th><th>Module</th><th>Entrypoint</th>")
                .append("<th>Compile</th><th class=\"num\">Requests</th><th class=\"num\">In flight</th><th>Errors</th>")
                .append("<th>Responses</th><th class=\"num\">p50 ms</th><th class=\"num\">p90 ms</th><th class=\"num\">p99 ms</th>")
                .append("<th class=\"num\">max ms</th></tr></thead><tbody>\n");
        for (RouteMetrics route : metrics.routes()) {
            RouteInfo info = route.info();
            Optional<ModuleMetrics.ModuleState> module = modules.state(info.module());
            LatencyHistogram.Snapshot latency = route.latency().snapshot();
            out.append("<tr><td><code>").append(escape(info.route())).append("</code>");
            if (!info.hosts().isEmpty()) {
                out.append("<div class=\"small\">hosts ").append(escape(info.hostList())).append("</div>");
            }
            out.append("</td><td title=\"").append(escape(info.module().toString())).append("\"><code>")
                    .append(escape(String.valueOf(info.module().getFileName()))).append("</code><div class=\"small\">")
                    .append(module.map(m -> m.size() + " bytes, ").orElse("")).append("on ").append(escape(info.engine()))
                    .append("</div></td>");
            out.append("<td><code>").append(escape(info.entrypoint())).append("</code></td>");
            if (module.isEmpty()) {
                out.append("<td class=\"small\">not compiled</td>");
            } else if (module.get().compiled()) {
                out.append("<td><span class=\"ok\">compiled</span><div class=\"small\">")
                        .append(millis(module.get().compileMillis())).append(" ms</div>").append(interpreted(module.get()))
                        .append("</td>");
            } else {
                out.append("<td><span class=\"bad\" title=\"").append(escape(module.get().failure()))
                        .append("\">failed</span><div class=\"small\">").append(millis(module.get().compileMillis()))
                        .append(" ms</div></td>");
            }
            out.append("<td class=\"num\">").append(route.requests()).append("</td>");
            out.append("<td class=\"num\">").append(route.inFlight()).append("</td>");
            out.append("<td>").append(route.errors() == 0 ? "0" : "<span class=\"bad\">" + route.errors() + "</span>")
                    .append(nonZero(route.errorsByKind(), route.abortedCount())).append("</td>");
            out.append("<td>").append(escape(join(route.responsesByStatusClass()))).append("</td>");
            out.append("<td class=\"num\">").append(millis(latency.p50())).append("</td>");
            out.append("<td class=\"num\">").append(millis(latency.p90())).append("</td>");
            out.append("<td class=\"num\">").append(millis(latency.p99())).append("</td>");
            out.append("<td class=\"num\">").append(millis(latency.max())).append("</td></tr>\n");
        }
        out.append("</tbody></table>\n<p class=\"small\">Latencies are since each route was mounted, from the request reaching")
                .append(" the route to its response, including any wait for a free slot.</p>\n</body></html>\n");
        return out.toString();
    }

    /** The count of interpreted functions, if there are some, with what to do about them as a tooltip. */
    private static String interpreted(ModuleMetrics.ModuleState module) {
        int count = module.interpretedFunctions();
        if (count == 0) {
            return "";
        }
        return "<div class=\"small bad\" title=\"too large for a JVM method, so Chicory interprets "
                + (count == 1 ? "it" : "them") + ", several times slower; engine = &quot;wasmtime&quot; or &quot;auto&quot;"
                + " runs the module natively\">" + count + (count == 1 ? " function" : " functions") + " interpreted</div>";
    }

    private static void card(StringBuilder out, String number, String label) {
        out.append("<div class=\"card\"><div class=\"n\">").append(escape(number)).append("</div><div class=\"l\">")
                .append(escape(label)).append("</div></div>");
    }

    private static String nonZero(Map<String, Long> counts, long aborted) {
        StringBuilder parts = new StringBuilder();
        counts.forEach((kind, count) -> {
            if (count > 0) {
                parts.append(parts.length() == 0 ? "" : ", ").append(kind).append(' ').append(count);
            }
        });
        if (aborted > 0) {
            parts.append(parts.length() == 0 ? "" : ", ").append("aborted ").append(aborted);
        }
        return parts.length() == 0 ? "" : "<div class=\"small\">" + escape(parts.toString()) + "</div>";
    }

    private static String join(Map<String, Long> counts) {
        StringBuilder parts = new StringBuilder();
        counts.forEach((key, count) -> {
            if (count > 0) {
                parts.append(parts.length() == 0 ? "" : ", ").append(key).append(' ').append(count);
            }
        });
        return parts.length() == 0 ? "none" : parts.toString();
    }

    static String millis(double millis) {
        return String.format(Locale.ROOT, millis < 100 ? "%.2f" : "%.0f", millis);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        if (s < 86400) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s / 86400 + "d " + s % 86400 / 3600 + "h";
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A small JSON writer: commas and escaping, nothing more. */
    private static final class Json {
        private final StringBuilder out = new StringBuilder(2048);
        private boolean first = true;

        Json open(char bracket) {
            out.append(bracket);
            first = true;
            return this;
        }

        Json close(char bracket) {
            out.append(bracket);
            first = false;
            return this;
        }

        Json field(String name) {
            element();
            quote(name);
            out.append(':');
            return this;
        }

        Json element() {
            if (!first) {
                out.append(',');
            }
            first = false;
            return this;
        }

        Json string(String value) {
            if (value == null) {
                out.append("null");
            } else {
                quote(value);
            }
            first = false;
            return this;
        }

        Json number(long value) {
            out.append(value);
            first = false;
            return this;
        }

        Json number(double value) {
            if (Double.isFinite(value)) {
                out.append(String.format(Locale.ROOT, "%.3f", value));
            } else {
                out.append("null");
            }
            first = false;
            return this;
        }

        private void quote(String value) {
            out.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
