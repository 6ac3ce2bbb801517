package dev.wagiservlet.filter;

/** A request or a module went past one of its route's limits; {@link #status()} is the answer. */
final class LimitExceeded extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    LimitExceeded(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
