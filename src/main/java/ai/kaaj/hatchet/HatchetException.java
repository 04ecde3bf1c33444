package ai.kaaj.hatchet;

/** Hatchet could not be used for what the service needed: the message says what and why. */
public final class HatchetException extends RuntimeException {
    public HatchetException(String message, Throwable cause) {
        super(message, cause);
    }
}
