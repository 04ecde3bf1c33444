package ai.kaaj.engine;

import java.time.Duration;

/** What runs a worker process's steps: the embedded engine's worker, or the Hatchet bridge's. */
public interface StepWorker {

    /** Starts taking steps; they run through the given runner (the Camel routes, once Camel has started). */
    void start(StepRunner runner);

    boolean isRunning();

    /** The name runs and logs know this worker by. */
    String owner();

    /** Which engine gives this worker its steps: "embedded" or "hatchet". */
    String engine();

    /** Stops taking work and lets in-flight steps finish within the grace period. */
    void stop(Duration grace);
}
