package dev.cutover.store;

/**
 * The store could not read or write, so the operation did not happen. Callers on an HTTP edge answer 5xx; the
 * message is for logs and never holds webhook bodies or secrets.
 */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
