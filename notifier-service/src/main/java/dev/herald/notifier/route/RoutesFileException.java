package dev.herald.notifier.route;

/** The routes file cannot be used; the message names the route and the field. Stops the start-up. */
public class RoutesFileException extends RuntimeException {

    public RoutesFileException(String message) {
        super(message);
    }

    public RoutesFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
