package ai.kaaj.engine;

import ai.kaaj.store.WorkerStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells the database, every few seconds, that this process's worker is alive and how many of its slots
 * are busy, so the API process (which runs no steps) can list the workers of either engine.
 */
public final class WorkerHeartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerHeartbeat.class.getPackageName());
    /** How often a worker beats; a worker silent for three beats is shown as not alive. */
    public static final Duration EVERY = Duration.ofSeconds(5);

    private final WorkerStore store;
    private final StepWorker worker;
    private final String engine;
    private final int slots;
    private ScheduledExecutorService timer;

    public WorkerHeartbeat(WorkerStore store, StepWorker worker, String engine, int slots) {
        this.store = store;
        this.worker = worker;
        this.engine = engine;
        this.slots = slots;
    }

    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kaaj-worker-heartbeat"));
        timer.scheduleAtFixedRate(this::beat, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            store.beat(worker.owner(), engine, slots, worker.slotsInUse());
        } catch (RuntimeException e) {
            // the database is away: the worker shows as silent until it is back
            LOG.debug("Worker heartbeat not recorded: {}", e.getMessage());
        }
    }

    /** Stops beating and removes the worker from the list (it stopped on purpose). */
    public synchronized void stop() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        timer = null;
        try {
            store.remove(worker.owner());
        } catch (RuntimeException e) {
            LOG.debug("Worker heartbeat not removed: {}", e.getMessage());
        }
    }
}
