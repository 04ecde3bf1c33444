package ai.kaaj.engine;

import java.util.concurrent.CancellationException;

/**
 * Long loops call check() once per line or page: a step that timed out or was cancelled is interrupted,
 * and this ends its work within one iteration instead of letting a cancelled thread burn CPU for minutes.
 */
public final class Interruption {

    private Interruption() {
    }

    /** Throws when the current thread was interrupted; the flag stays set, so blocking calls after it abort too. */
    public static void check() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("cancelled: the step timed out or its worker is stopping");
        }
    }
}
