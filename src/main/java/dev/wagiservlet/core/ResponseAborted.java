package dev.wagiservlet.core;

/**
 * A run failed after its response was committed: the client has part of a body and must not take
 * it for a whole one, so the adapter lets the container abort the connection (the servlet filter
 * throws a {@code ServletException}). Only ever thrown once the failure is logged and counted.
 */
public final class ResponseAborted extends Exception {

    private static final long serialVersionUID = 1L;

    ResponseAborted(String message, Throwable cause) {
        super(message, cause);
    }
}
