package ai.kaaj.hatchet;

import ai.kaaj.domain.Json;
import ai.kaaj.engine.StepDefinition;
import ai.kaaj.engine.StepFailure;
import ai.kaaj.engine.StepInput;
import ai.kaaj.engine.StepRunner;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.hatchet.HatchetClient.RunState;
import ai.kaaj.hatchet.HatchetClient.StepEvent;
import ai.kaaj.metrics.ProductMetrics;
import ai.kaaj.store.HatchetRunStore;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static ai.kaaj.engine.StepRunner.describe;

/**
 * The steps Hatchet assigns to a worker: each is recorded in our run tables (what the API shows), run
 * through its Camel route, and reported started, completed or failed (the client retries reports until
 * the engine takes them). An output the engine would refuse (not a JSON object, or over its message limit)
 * fails the step for good instead. Runs Hatchet ended without this worker seeing it (cancelled) are
 * found by asking, on engines that can be asked.
 */
final class HatchetSteps {

    private static final Logger LOG = LoggerFactory.getLogger(HatchetSteps.class.getPackageName());
    /** A failure's text is cut to this many characters: the dashboard shows the start, and the report stays small. */
    private static final int MAX_ERROR_CHARS = 16 * 1024;

    /** What an action id stands for. */
    private record Action(WorkflowDefinition workflow, StepDefinition step, boolean onFailure) {
    }

    /**
     * One assigned attempt. Its state says which came first: the route's result ("finishing": the result
     * is recorded and reported, a later cancel does not interrupt it) or Hatchet's cancel ("cancelled").
     */
    static final class Attempt {
        final AtomicReference<String> state = new AtomicReference<>("running");
        volatile FutureTask<Void> task;

        boolean cancelledByHatchet() {
            return "cancelled".equals(state.get());
        }
    }

    private final HatchetClient hatchet;
    private final HatchetRunStore runs;
    private final List<WorkflowDefinition> workflows;
    private final ProductMetrics metrics;
    private final StepRunner stepRunner;
    private final ScheduledExecutorService followUps;
    private final Supplier<String> workerId;
    private final BooleanSupplier running;
    private final Clock clock;
    private final Map<String, Action> actions;
    /** Set when the engine answered GetRunDetails with UNIMPLEMENTED (engines before v0.74.9): not asked again. */
    private volatile boolean noRunDetails;

    /** followUps runs the checks after a cancel. */
    HatchetSteps(HatchetClient hatchet, HatchetRunStore runs, List<WorkflowDefinition> workflows,
                 ProductMetrics metrics, StepRunner stepRunner, ScheduledExecutorService followUps,
                 Supplier<String> workerId, BooleanSupplier running, Clock clock) {
        this.hatchet = hatchet;
        this.runs = runs;
        this.workflows = workflows;
        this.metrics = metrics;
        this.stepRunner = stepRunner;
        this.followUps = followUps;
        this.workerId = workerId;
        this.running = running;
        this.clock = clock;
        this.actions = actions(workflows, hatchet);
    }

    /** The action ids a worker of these workflows runs, on-failure steps included. */
    static Set<String> actionIds(List<WorkflowDefinition> workflows, HatchetClient hatchet) {
        return actions(workflows, hatchet).keySet();
    }

    private static Map<String, Action> actions(List<WorkflowDefinition> workflows, HatchetClient hatchet) {
        Map<String, Action> actions = new LinkedHashMap<>();
        for (WorkflowDefinition workflow : workflows) {
            workflow.steps().forEach(step -> actions.put(hatchet.actionId(workflow.name(), step.name()),
                    new Action(workflow, step, false)));
            actions.put(hatchet.actionId(workflow.name(), workflow.onFailure().name()),
                    new Action(workflow, workflow.onFailure(), true));
        }
        return actions;
    }

    /** Runs one assigned step through its route and reports the outcome. */
    void run(HatchetAction action, Attempt attempt) {
        Instant assignedAt = clock.instant();
        try {
            Action known = actions.get(action.actionId().toLowerCase(Locale.ROOT));
            if (known == null) {
                report(action, StepEvent.FAILED,
                        "this worker has no step for action " + action.actionId(), true);
                return;
            }
            // Hatchet's timer started when it assigned the step: the route's deadline is counted from then
            execute(action, attempt, known, assignedAt.plus(known.step().timeout()));
        } catch (RuntimeException e) {
            // our tables could not be written (the database is unreachable): Hatchet retries the step later
            LOG.warn("Step {} of Hatchet run {} could not be recorded: {}", action.stepName(),
                    action.runId(), describe(e));
            report(action, StepEvent.FAILED,
                    "the worker could not record the step: " + describe(e), false);
        }
    }

    private void execute(HatchetAction action, Attempt current, Action known, Instant deadline) {
        WorkflowDefinition workflow = known.workflow();
        StepDefinition step = known.step();
        JsonNode payload = parse(action.payload());
        JsonNode input = payload.path("input").isObject() ? payload.path("input") : Json.MAPPER.createObjectNode();
        Map<String, JsonNode> parents = new LinkedHashMap<>();
        payload.path("parents").fields().forEachRemaining(e -> parents.put(e.getKey(), e.getValue()));
        UUID runId = runId(action);
        int attempt = action.retryCount() + 1;
        String error = known.onFailure() ? errors(payload.path("step_run_errors")) : null;
        boolean ours = known.onFailure()
                ? runs.runEnded(runId, action.runId(), "failed", error)
                : runs.stepStarted(runId, action.runId(), workflow.name(),
                action.eventKey(), input.toString(),
                workflow.steps().stream().map(StepDefinition::name).toList(), step.name(), attempt);
        if (!ours) {
            // our run was started in Hatchet twice (a hand-over whose answer was lost): only the first one runs;
            // or, for on-failure, the run already ended here (a cancel handled by this service)
            LOG.warn("Hatchet run {} is not the one recorded for run {}, or that run has ended; not running {}",
                    action.runId(), runId, step.name());
            report(action, known.onFailure() ? StepEvent.COMPLETED
                    : StepEvent.FAILED, known.onFailure() ? "{}"
                    : "duplicate of the Hatchet run already recorded for run " + runId, true);
            return;
        }
        if (known.onFailure()) {
            metrics.runFinished(workflow.name(), "failed");
        }
        reportStarted(action);
        LOG.info("Run {} ({}): step {} attempt {} (Hatchet)", runId, workflow.name(), step.name(), attempt);
        long started = System.nanoTime();
        try {
            String output = withoutNul(stepRunner.run(workflow, step,
                    new StepInput(runId.toString(), input, parents, error).withDeadline(deadline)));
            String refused = refusedOutput(action, output);
            if (refused != null) {
                throw new StepFailure(refused);
            }
            if (!current.state.compareAndSet("running", "finishing")) {
                throw new InterruptedException("cancelled by Hatchet as the step finished");
            }
            Thread.interrupted(); // a cancel that lost the race must not break the report
            boolean last = step.equals(workflow.steps().get(workflow.steps().size() - 1));
            if (!known.onFailure()) {
                runs.stepSucceeded(runId, step.name(), attempt, output, last);
                metrics.stepFinished(workflow.name(), step.name(), "succeeded", since(started));
                if (last) {
                    metrics.runFinished(workflow.name(), "succeeded");
                }
            }
            report(action, StepEvent.COMPLETED, output, false);
        } catch (Exception e) {
            boolean byHatchet = current.cancelledByHatchet();
            boolean stopping = !running.getAsBoolean() && !byHatchet;
            String message = byHatchet ? "cancelled by Hatchet (timeout or cancel)"
                    : stopping ? "the worker stopped before the step finished; Hatchet runs it again" : describe(e);
            boolean permanent = e instanceof StepFailure;
            if (!known.onFailure()) {
                boolean lastAttempt = permanent || attempt > step.retries();
                recordQuietly(() -> runs.stepFailed(runId, step.name(), attempt, message, lastAttempt));
                metrics.stepFinished(workflow.name(), step.name(), "failed", since(started));
            }
            if (byHatchet) {
                // Hatchet already ended this attempt; the SDKs send nothing after a cancel either. A timeout
                // leads to a retry; a user's cancel ends the run, which only Hatchet can tell us.
                if (!known.onFailure()) {
                    followCancelledRun(workflow, runId, action.runId(), input);
                }
                return;
            }
            LOG.warn("Run {}: step {} failed (attempt {} of {}): {}", runId, step.name(), attempt, step.retries() + 1,
                    message);
            report(action, StepEvent.FAILED, message + stackSummary(e), permanent);
        }
    }

    /**
     * Why the engine would not take this output as a completed step's, or null when it would. Our routes
     * answer JSON objects, and the engine hands a parent's output to its children only if it is one
     * (internal/services/dispatcher/dispatcher.go); it refuses any message over its limit with
     * RESOURCE_EXHAUSTED, which no retry changes (internal/services/grpc/server.go).
     */
    private String refusedOutput(HatchetAction action, String output) {
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(output);
        } catch (Exception e) {
            parsed = null;
        }
        if (parsed == null || !parsed.isObject()) {
            String start = output.length() > 80 ? output.substring(0, 80) + "…" : output;
            return "the step's output is not a JSON object, which Hatchet needs: " + start;
        }
        int size = hatchet.completedReportSize(action, output);
        if (size > HatchetClient.MAX_MESSAGE_BYTES) {
            return String.format(Locale.ROOT, "the step's output is %,d bytes, over the %,d bytes Hatchet takes in "
                    + "one message", size, HatchetClient.MAX_MESSAGE_BYTES);
        }
        return null;
    }

    /** After a cancel, asks Hatchet (after 1 s, then 5 s) whether the whole run was cancelled. */
    private void followCancelledRun(WorkflowDefinition workflow, UUID runId, String hatchetRunId, JsonNode input) {
        followUps.schedule(() -> {
            if (!reconcile(workflow, runId, hatchetRunId, input)) {
                followUps.schedule(() -> reconcile(workflow, runId, hatchetRunId, input), 4, TimeUnit.SECONDS);
            }
        }, 1, TimeUnit.SECONDS);
    }

    /**
     * Runs under way here that Hatchet may have ended without any worker seeing it (cancelled while queued
     * or between steps): checked every reconcile interval, a few at a time, by every worker.
     */
    void reconcileQuietRuns(Duration underWayFor) {
        if (noRunDetails) {
            return;
        }
        try {
            for (HatchetRunStore.HatchetRun run : runs.runsUnderWay(underWayFor, 20)) {
                workflows.stream().filter(workflow -> workflow.name().equals(run.workflow())).findFirst()
                        .ifPresent(workflow -> reconcile(workflow, run.id(), run.externalId(), parse(run.input())));
            }
        } catch (RuntimeException e) {
            LOG.debug("Could not check runs against Hatchet: {}", describe(e));
        }
    }

    /**
     * Asks Hatchet how the run stands; a run Hatchet cancelled ends 'cancelled' here and the workflow's
     * on-failure step marks the lender or application. Returns true when Hatchet says the run is over.
     */
    private boolean reconcile(WorkflowDefinition workflow, UUID runId, String hatchetRunId, JsonNode input) {
        RunState state;
        try {
            state = hatchet.runState(hatchetRunId);
        } catch (HatchetException e) {
            if (e.unsupported() && !noRunDetails) {
                noRunDetails = true;
                LOG.warn("This Hatchet engine has no GetRunDetails (it came in v0.74.9): a run cancelled in Hatchet "
                        + "while none of its steps runs stays under way here until its next step is assigned");
            }
            LOG.debug("Hatchet run {} details unavailable: {}", hatchetRunId, e.detail());
            return false;
        }
        if (state != RunState.CANCELLED) {
            return state == RunState.ENDED;
        }
        String why = "the run was cancelled in Hatchet";
        try {
            if (!runs.runEnded(runId, hatchetRunId, "cancelled", why)) {
                return true; // already ended here, or another worker got there first
            }
        } catch (RuntimeException e) {
            LOG.warn("Run {} was cancelled in Hatchet but cannot be recorded yet: {}", runId, describe(e));
            return false;
        }
        LOG.info("Run {} ({}) was cancelled in Hatchet", runId, workflow.name());
        metrics.runFinished(workflow.name(), "cancelled");
        stepRunner.runOnFailure(workflow, runId.toString(), input, why);
        return true;
    }

    /** Hatchet refuses output holding NUL characters, which JSON writes as \u0000. */
    static String withoutNul(String json) {
        return json.replaceAll("(?<!\\\\)\\\\u0000", "");
    }

    /** Records a failure in our tables if the database lets us; Hatchet hears of it either way. */
    private static void recordQuietly(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.warn("Could not record a failed step: {}", describe(e));
        }
    }

    /** Our run id: the one the API put in the run's metadata, else Hatchet's own run id. */
    private static UUID runId(HatchetAction action) {
        JsonNode metadata = parse(action.metadata());
        String ours = metadata.path(HatchetWorker.RUN_ID_METADATA).asText("");
        try {
            return UUID.fromString(ours.isEmpty() ? action.runId() : ours);
        } catch (IllegalArgumentException e) {
            return UUID.nameUUIDFromBytes(action.runId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** STARTED changes nothing on the engine (its timer runs from the assignment): one try, never a wait. */
    private void reportStarted(HatchetAction action) {
        try {
            hatchet.reportStarted(action, workerId.get());
        } catch (HatchetException e) {
            LOG.debug("Could not report {} started: {}", action.stepName(), e.detail());
        }
    }

    /** Sends a step's result (a failure's text cut to size); the client retries it while the engine is unreachable. */
    void report(HatchetAction action, StepEvent type, String payload, boolean shouldNotRetry) {
        String sent = type == StepEvent.FAILED && payload.length() > MAX_ERROR_CHARS
                ? payload.substring(0, MAX_ERROR_CHARS) + "… (cut)" : payload;
        try {
            hatchet.report(action, workerId, type, sent, shouldNotRetry, running);
        } catch (HatchetException e) {
            LOG.error("Could not report {} of {} to Hatchet: {}; Hatchet will time the step out and retry it",
                    type, action.stepName(), e.detail());
        }
    }

    private static String errors(JsonNode stepRunErrors) {
        StringBuilder text = new StringBuilder();
        stepRunErrors.fields().forEachRemaining(e -> text.append(text.length() == 0 ? "" : "; ")
                .append(e.getKey()).append(": ").append(e.getValue().asText()));
        return text.length() == 0 ? "the run failed in Hatchet" : text.toString();
    }

    private static JsonNode parse(String json) {
        if (json == null || json.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return node != null && node.isObject() ? node : Json.MAPPER.createObjectNode();
        } catch (Exception e) {
            LOG.warn("Hatchet sent a payload that is not JSON: {}", e.getMessage());
            return Json.MAPPER.createObjectNode();
        }
    }

    /** The exception and its first frames, for the Hatchet dashboard. */
    private static String stackSummary(Throwable e) {
        StringBuilder text = new StringBuilder("\n").append(e.getClass().getName());
        StackTraceElement[] frames = e.getStackTrace();
        for (int i = 0; i < Math.min(5, frames.length); i++) {
            text.append("\n\tat ").append(frames[i]);
        }
        return text.toString();
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
