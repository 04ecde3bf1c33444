package ai.kaaj.engine;

/**
 * A step that cannot succeed by trying again (bad document, missing lender): the engine fails the
 * run at once instead of spending its retries. Any other exception is retried.
 */
public class StepFailure extends RuntimeException {

    public StepFailure(String message) {
        super(message);
    }

    public StepFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
