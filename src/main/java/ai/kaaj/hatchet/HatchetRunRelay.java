package ai.kaaj.hatchet;

import ai.kaaj.config.HatchetSettings.StartMode;
import ai.kaaj.domain.Json;
import ai.kaaj.engine.DaemonThreads;
import ai.kaaj.engine.RunNotifications;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.engine.Workflows;
import ai.kaaj.hatchet.proto.events.PushEventRequest;
import ai.kaaj.hatchet.proto.v1.TriggerWorkflowRequest;
import ai.kaaj.store.RunStore;
import ai.kaaj.store.RunStore.Handover;
import ai.kaaj.store.RunStore.UndispatchedRun;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Hands the runs the API and the file drop queue to Hatchet: by triggering the workflow (Hatchet's run
 * id is then known at once) or by pushing the workflow's event. Runs are written to our database
 * first, in the same transaction as the lender or application, and handed over from there, so a run
 * is never lost when Hatchet is unreachable: it waits, visible as queued, and goes when Hatchet is
 * back. Woken by the database's notice of a new run; otherwise it looks every poll interval.
 */
public final class HatchetRunRelay {

    private static final Logger LOG = LoggerFactory.getLogger(HatchetRunRelay.class.getPackageName());
    private static final int BATCH = 100;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** Answers that will not change if the same run is sent again. */
    private static final Set<Status.Code> REFUSALS = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
            Status.Code.ALREADY_EXISTS, Status.Code.FAILED_PRECONDITION, Status.Code.OUT_OF_RANGE);

    private final HatchetConnection hatchet;
    private final RunStore runs;
    private final StartMode mode;
    private final DataSource dataSource;
    private final Duration poll;
    private final Object wakeUp = new Object();
    private volatile boolean running;
    private volatile String lastFailure;
    private boolean wokenUp;

    public HatchetRunRelay(HatchetConnection hatchet, RunStore runs, StartMode mode, DataSource dataSource,
                           Duration poll) {
        this.hatchet = hatchet;
        this.runs = runs;
        this.mode = mode;
        this.dataSource = dataSource;
        this.poll = poll;
    }

    public void start() {
        running = true;
        RunNotifications.start("kaaj-hatchet-relay-listener", dataSource, poll, () -> running, this::wake);
        DaemonThreads.start("kaaj-hatchet-relay", this::relayLoop);
    }

    /** Why runs are waiting for Hatchet, while the last hand-over failed; empty when they go. */
    public Optional<String> problem() {
        String failure = lastFailure;
        return failure == null ? Optional.empty() : Optional.of("runs wait for Hatchet: " + failure);
    }

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
                Duration wait = Duration.ofMillis(Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(failures, 10)));
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
                hatchet.events().withDeadlineAfter(10, TimeUnit.SECONDS).push(PushEventRequest.newBuilder()
                        .setKey(hatchet.named(workflow.event()))
                        .setPayload(run.input())
                        .setEventTimestamp(HatchetSteps.timestamp(Instant.now()))
                        .setAdditionalMetadata(metadata)
                        .build());
                return new Handover(null, null);
            }
            return new Handover(hatchet.workflows().withDeadlineAfter(10, TimeUnit.SECONDS).triggerWorkflow(
                    TriggerWorkflowRequest.newBuilder()
                            .setName(hatchet.named(workflow.name()))
                            .setInput(run.input())
                            .setAdditionalMetadata(metadata)
                            .build()).getWorkflowRunId(), null);
        } catch (StatusRuntimeException e) {
            HatchetException explained = hatchet.explain(mode == StartMode.EVENT ? "accept event " + workflow.event()
                    : "trigger " + workflow.name(), e);
            if (REFUSALS.contains(e.getStatus().getCode())) {
                LOG.error("Run {} cannot be started: {}", run.id(), explained.getMessage());
                return new Handover(null, explained.getMessage());
            }
            throw explained;
        }
    }
}
