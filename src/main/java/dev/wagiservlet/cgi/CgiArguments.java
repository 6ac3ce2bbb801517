package dev.wagiservlet.cgi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a module's argv as WAGI does. By default: the raw request path, then the raw query split
 * on {@code &}. With a template such as {@code ruby index.rb ${SCRIPT_NAME} ${ARGS}}:
 * {@code ${SCRIPT_NAME}} becomes the raw request path, {@code ${ARGS}} the query with {@code &}
 * turned into spaces, and the result is split on white space.
 */
public final class CgiArguments {

    private CgiArguments() {}

    /**
     * @param requestPath the raw request path (including the context path)
     * @param queryString the raw query, or {@code null} if the URL had none
     * @param template the argv template, if the route has one
     */
    public static List<String> build(String requestPath, String queryString, Optional<String> template) {
        if (template.isEmpty()) {
            List<String> args = new ArrayList<>();
            args.add(requestPath);
            if (queryString != null) {
                args.addAll(List.of(queryString.split("&", -1)));
            }
            return args;
        }
        String expanded = template.get()
                .replace("${SCRIPT_NAME}", requestPath)
                .replace("${ARGS}", queryString == null ? "" : queryString.replace('&', ' '));
        List<String> args = new ArrayList<>();
        for (String arg : expanded.split("(?U)\\s+")) {
            if (!arg.isEmpty()) {
                args.add(arg);
            }
        }
        return args;
    }
}
