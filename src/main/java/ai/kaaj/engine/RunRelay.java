package ai.kaaj.engine;

import java.util.Optional;

/**
 * Hands the runs this process queues (in the database, with their lender or application) to the engine that
 * runs them: the Hatchet bridge's relay, or {@link #NONE} where nothing needs handing over (the embedded
 * engine's workers claim runs from the table; a worker process queues none).
 */
public interface RunRelay {

    void start();

    void stop();

    /** Why queued runs are waiting for the engine, while they are; empty when they go. */
    Optional<String> problem();

    RunRelay NONE = new RunRelay() {
        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public Optional<String> problem() {
            return Optional.empty();
        }
    };
}
