package ai.kaaj.engine;

import java.time.Duration;
import java.util.Optional;

/** What runs a worker process's steps: the embedded engine's worker, or the Hatchet bridge's. */
public interface StepWorker {

    /** Starts taking steps; they run through the given runner (the Camel routes, once Camel has started). */
    void start(StepRunner runner);

    boolean isRunning();

    /** The name runs and logs know this worker by. */
    String owner();

    /** How many of its slots are running a step now (the workers page shows it). */
    int slotsInUse();

    /** Why the worker may not be getting work although it runs (shown by the health endpoint); empty when fine. */
    default Optional<String> problem() {
        return Optional.empty();
    }

    /** Stops taking work and lets in-flight steps finish within the grace period. */
    void stop(Duration grace);
}
