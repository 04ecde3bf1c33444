package ai.kaaj.hatchet;

import ai.kaaj.config.HatchetSettings.StartMode;
import ai.kaaj.domain.Json;
import ai.kaaj.engine.Backoff;
import ai.kaaj.engine.DaemonThreads;
import ai.kaaj.engine.RunNotifications;
import ai.kaaj.engine.RunRelay;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.engine.Workflows;
import ai.kaaj.store.HatchetRunStore;
import ai.kaaj.store.HatchetRunStore.Handover;
import ai.kaaj.store.HatchetRunStore.UndispatchedRun;
import io.github.resilience4j.core.IntervalFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Hands the runs the API and the file drop queue to Hatchet: by triggering the workflow (Hatchet's run
 * id is then known at once) or by pushing the workflow's event. Runs are written to our database
 * first, in the same transaction as the lender or application, and handed over from there, so a run
 * is never lost when Hatchet is unreachable: it waits, visible as queued, and goes when Hatchet is
 * back. Woken by the database's notice of a new run; otherwise it looks every poll interval.
 */
public final class HatchetRunRelay implements RunRelay {

    private static final Logger LOG = LoggerFactory.getLogger(HatchetRunRelay.class.getPackageName());
    private static final int BATCH = 100;
    /** After the nth failed batch in a row: 1 s, doubling to 30 s. */
    private static final IntervalFunction WAITS = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30));

    private final HatchetClient hatchet;
    private final HatchetRunStore runs;
    private final StartMode mode;
    private final DataSource dataSource;
    private final Duration poll;
    private final Object wakeUp = new Object();
    private volatile boolean running;
    private volatile String lastFailure;
    private boolean wokenUp;

    public HatchetRunRelay(HatchetClient hatchet, HatchetRunStore runs, StartMode mode, DataSource dataSource,
                           Duration poll) {
        this.hatchet = hatchet;
        this.runs = runs;
        this.mode = mode;
        this.dataSource = dataSource;
        this.poll = poll;
    }

    @Override
    public void start() {
        running = true;
        RunNotifications.start("kaaj-hatchet-relay-listener", dataSource, poll, () -> running, this::wake);
        DaemonThreads.start("kaaj-hatchet-relay", this::relayLoop);
    }

    /** Why runs are waiting for Hatchet, while the last hand-over failed; empty when they go. */
    @Override
    public Optional<String> problem() {
        String failure = lastFailure;
        return failure == null ? Optional.empty() : Optional.of("runs wait for Hatchet: " + failure);
    }

    @Override
    public void stop() {
        running = false;
        wake();
    }

    private void wake() {
        synchronized (wakeUp) {
            wokenUp = true;
            wakeUp.notifyAll();
        }
    }

    private void relayLoop() {
        int failures = 0;
        while (running) {
            try {
                int handed = runs.dispatchWaiting(BATCH, this::handOver);
                failures = 0;
                lastFailure = null;
                if (handed == BATCH) {
                    continue;
                }
                synchronized (wakeUp) {
                    if (!wokenUp) {
                        wakeUp.wait(poll.toMillis());
                    }
                    wokenUp = false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failures++;
                lastFailure = e.getMessage();
                Duration wait = Duration.ofMillis(WAITS.apply(failures));
                LOG.warn("Runs wait for Hatchet: {}; trying again in {} ms", e.getMessage(), wait.toMillis());
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Starts one run in Hatchet: Hatchet's run id when a trigger tells it; a refusal when Hatchet will
     * never take this run. Errors that may pass (unreachable, overloaded, a token problem) are thrown:
     * the run waits and is tried again.
     */
    private Handover handOver(UndispatchedRun run) {
        WorkflowDefinition workflow = Workflows.byName(run.workflow()).orElse(null);
        if (workflow == null) {
            return new Handover(null, "this service has no workflow " + run.workflow());
        }
        String metadata = Json.write(Map.of(HatchetWorker.RUN_ID_METADATA, run.id().toString()));
        try {
            if (mode == StartMode.EVENT) {
                hatchet.push(workflow.event(), run.input(), metadata);
                return new Handover(null, null);
            }
            return new Handover(hatchet.trigger(workflow.name(), run.input(), metadata), null);
        } catch (HatchetException e) {
            if (e.isRefusal()) {
                LOG.error("Run {} cannot be started: {}", run.id(), e.getMessage());
                return new Handover(null, e.getMessage());
            }
            throw e;
        }
    }
}
