package dev.wagiservlet.core;

/** A request or a module went past one of its route's limits while the module ran; {@link #failure()} says which. */
final class LimitExceeded extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Failure failure;

    LimitExceeded(Failure failure, String message) {
        super(message, null, false, false);
        this.failure = failure;
    }

    Failure failure() {
        return failure;
    }
}
