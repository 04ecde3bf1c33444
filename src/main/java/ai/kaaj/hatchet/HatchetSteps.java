package ai.kaaj.hatchet;

import ai.kaaj.domain.Json;
import ai.kaaj.engine.StepDefinition;
import ai.kaaj.engine.StepFailure;
import ai.kaaj.engine.StepInput;
import ai.kaaj.engine.StepRunner;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.hatchet.proto.dispatcher.AssignedAction;
import ai.kaaj.hatchet.proto.dispatcher.StepActionEvent;
import ai.kaaj.hatchet.proto.dispatcher.StepActionEventType;
import ai.kaaj.hatchet.proto.v1.GetRunDetailsRequest;
import ai.kaaj.hatchet.proto.v1.RunStatus;
import ai.kaaj.metrics.ProductMetrics;
import ai.kaaj.store.RunStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The steps Hatchet assigns to a worker: each is recorded in our run tables (what the API shows), run
 * through its Camel route, and reported started, completed or failed; reports are retried until the
 * engine takes them. An output the engine would refuse (not a JSON object, or over its message limit)
 * fails the step for good instead. Runs Hatchet ended without this worker seeing it (cancelled) are
 * found by asking, on engines that can be asked.
 */
final class HatchetSteps {

    private static final Logger LOG = LoggerFactory.getLogger(HatchetSteps.class.getPackageName());
    /** How long a finished step keeps trying to report while Hatchet is unreachable. */
    private static final Duration REPORT_PATIENCE = Duration.ofMinutes(5);
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

    private final HatchetConnection hatchet;
    private final RunStore runs;
    private final List<WorkflowDefinition> workflows;
    private final ProductMetrics metrics;
    private final StepRunner stepRunner;
    private final ScheduledExecutorService followUps;
    private final Supplier<String> workerId;
    private final BooleanSupplier running;
    private final IntFunction<Duration> backoff;
    private final Clock clock;
    private final Map<String, Action> actions;
    /** Set when the engine answered GetRunDetails with UNIMPLEMENTED (engines before v0.74.9): not asked again. */
    private volatile boolean noRunDetails;

    /** followUps runs the checks after a cancel; backoff gives the wait before the nth retry of a report. */
    HatchetSteps(HatchetConnection hatchet, RunStore runs, List<WorkflowDefinition> workflows, ProductMetrics metrics,
                 StepRunner stepRunner, ScheduledExecutorService followUps, Supplier<String> workerId,
                 BooleanSupplier running, IntFunction<Duration> backoff, Clock clock) {
        this.hatchet = hatchet;
        this.runs = runs;
        this.workflows = workflows;
        this.metrics = metrics;
        this.stepRunner = stepRunner;
        this.followUps = followUps;
        this.workerId = workerId;
        this.running = running;
        this.backoff = backoff;
        this.clock = clock;
        this.actions = actions(workflows, hatchet);
    }

    /** The action ids a worker of these workflows runs, on-failure steps included. */
    static Set<String> actionIds(List<WorkflowDefinition> workflows, HatchetConnection hatchet) {
        return actions(workflows, hatchet).keySet();
    }

    private static Map<String, Action> actions(List<WorkflowDefinition> workflows, HatchetConnection hatchet) {
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
    void run(AssignedAction action, Attempt attempt) {
        Instant assignedAt = clock.instant();
        try {
            Action known = actions.get(action.getActionId().toLowerCase(Locale.ROOT));
            if (known == null) {
                report(action, StepActionEventType.STEP_EVENT_TYPE_FAILED,
                        "this worker has no step for action " + action.getActionId(), true);
                return;
            }
            // Hatchet's timer started when it assigned the step: the route's deadline is counted from then
            execute(action, attempt, known, assignedAt.plus(known.step().timeout()));
        } catch (RuntimeException e) {
            // our tables could not be written (the database is unreachable): Hatchet retries the step later
            LOG.warn("Step {} of Hatchet run {} could not be recorded: {}", action.getTaskName(),
                    action.getWorkflowRunId(), describe(e));
            report(action, StepActionEventType.STEP_EVENT_TYPE_FAILED,
                    "the worker could not record the step: " + describe(e), false);
        }
    }

    private void execute(AssignedAction action, Attempt current, Action known, Instant deadline) {
        WorkflowDefinition workflow = known.workflow();
        StepDefinition step = known.step();
        JsonNode payload = parse(action.getActionPayload());
        JsonNode input = payload.path("input").isObject() ? payload.path("input") : Json.MAPPER.createObjectNode();
        Map<String, JsonNode> parents = new LinkedHashMap<>();
        payload.path("parents").fields().forEachRemaining(e -> parents.put(e.getKey(), e.getValue()));
        UUID runId = runId(action);
        int attempt = action.getRetryCount() + 1;
        String error = known.onFailure() ? errors(payload.path("step_run_errors")) : null;
        boolean ours = known.onFailure()
                ? runs.hatchetRunEnded(runId, action.getWorkflowRunId(), "failed", error)
                : runs.hatchetStepStarted(runId, action.getWorkflowRunId(), workflow.name(),
                action.getTriggeringEventKey(), input.toString(),
                workflow.steps().stream().map(StepDefinition::name).toList(), step.name(), attempt);
        if (!ours) {
            // our run was started in Hatchet twice (a hand-over whose answer was lost): only the first one runs;
            // or, for on-failure, the run already ended here (a cancel handled by this service)
            LOG.warn("Hatchet run {} is not the one recorded for run {}, or that run has ended; not running {}",
                    action.getWorkflowRunId(), runId, step.name());
            report(action, known.onFailure() ? StepActionEventType.STEP_EVENT_TYPE_COMPLETED
                    : StepActionEventType.STEP_EVENT_TYPE_FAILED, known.onFailure() ? "{}"
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
                runs.hatchetStepSucceeded(runId, step.name(), attempt, output, last);
                metrics.stepFinished(workflow.name(), step.name(), "succeeded", since(started));
                if (last) {
                    metrics.runFinished(workflow.name(), "succeeded");
                }
            }
            report(action, StepActionEventType.STEP_EVENT_TYPE_COMPLETED, output, false);
        } catch (Exception e) {
            boolean byHatchet = current.cancelledByHatchet();
            boolean stopping = !running.getAsBoolean() && !byHatchet;
            String message = byHatchet ? "cancelled by Hatchet (timeout or cancel)"
                    : stopping ? "the worker stopped before the step finished; Hatchet runs it again" : describe(e);
            boolean permanent = e instanceof StepFailure;
            if (!known.onFailure()) {
                boolean lastAttempt = permanent || attempt > step.retries();
                recordQuietly(() -> runs.hatchetStepFailed(runId, step.name(), attempt, message, lastAttempt));
                metrics.stepFinished(workflow.name(), step.name(), "failed", since(started));
            }
            if (byHatchet) {
                // Hatchet already ended this attempt; the SDKs send nothing after a cancel either. A timeout
                // leads to a retry; a user's cancel ends the run, which only Hatchet can tell us.
                if (!known.onFailure()) {
                    followCancelledRun(workflow, runId, action.getWorkflowRunId(), input);
                }
                return;
            }
            LOG.warn("Run {}: step {} failed (attempt {} of {}): {}", runId, step.name(), attempt, step.retries() + 1,
                    message);
            report(action, StepActionEventType.STEP_EVENT_TYPE_FAILED, message + stackSummary(e), permanent);
        }
    }

    /**
     * Why the engine would not take this output as a completed step's, or null when it would. Our routes
     * answer JSON objects, and the engine hands a parent's output to its children only if it is one
     * (internal/services/dispatcher/dispatcher.go); it refuses any message over its limit with
     * RESOURCE_EXHAUSTED, which no retry changes (internal/services/grpc/server.go).
     */
    private String refusedOutput(AssignedAction action, String output) {
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
        int size = event(action, StepActionEventType.STEP_EVENT_TYPE_COMPLETED, output).build().getSerializedSize();
        if (size > HatchetConnection.MAX_MESSAGE_BYTES) {
            return String.format(Locale.ROOT, "the step's output is %,d bytes, over the %,d bytes Hatchet takes in "
                    + "one message", size, HatchetConnection.MAX_MESSAGE_BYTES);
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
            for (RunStore.HatchetRun run : runs.hatchetRunsUnderWay(underWayFor, 20)) {
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
        RunStatus status;
        try {
            status = hatchet.admin().withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getRunDetails(GetRunDetailsRequest.newBuilder().setExternalId(hatchetRunId).build()).getStatus();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED && !noRunDetails) {
                noRunDetails = true;
                LOG.warn("This Hatchet engine has no GetRunDetails (it came in v0.74.9): a run cancelled in Hatchet "
                        + "while none of its steps runs stays under way here until its next step is assigned");
            }
            LOG.debug("Hatchet run {} details unavailable: {}", hatchetRunId, e.getStatus());
            return false;
        }
        if (status != RunStatus.CANCELLED) {
            return status != RunStatus.RUNNING && status != RunStatus.QUEUED;
        }
        String why = "the run was cancelled in Hatchet";
        try {
            if (!runs.hatchetRunEnded(runId, hatchetRunId, "cancelled", why)) {
                return true; // already ended here, or another worker got there first
            }
        } catch (RuntimeException e) {
            LOG.warn("Run {} was cancelled in Hatchet but cannot be recorded yet: {}", runId, describe(e));
            return false;
        }
        LOG.info("Run {} ({}) was cancelled in Hatchet", runId, workflow.name());
        metrics.runFinished(workflow.name(), "cancelled");
        StepDefinition onFailure = workflow.onFailure();
        for (int attempt = 1; attempt <= onFailure.retries() + 1; attempt++) {
            try {
                stepRunner.run(workflow, onFailure, new StepInput(runId.toString(), input, Map.of(), why));
                return true;
            } catch (Exception e) {
                LOG.warn("Run {}: on-failure step after the cancel failed (attempt {}): {}", runId, attempt,
                        describe(e));
            }
        }
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
    private static UUID runId(AssignedAction action) {
        JsonNode metadata = parse(action.getAdditionalMetadata());
        String ours = metadata.path(HatchetWorker.RUN_ID_METADATA).asText("");
        try {
            return UUID.fromString(ours.isEmpty() ? action.getWorkflowRunId() : ours);
        } catch (IllegalArgumentException e) {
            return UUID.nameUUIDFromBytes(action.getWorkflowRunId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** STARTED changes nothing on the engine (its timer runs from the assignment): one try, never a wait. */
    private void reportStarted(AssignedAction action) {
        try {
            hatchet.dispatcher().withDeadlineAfter(5, TimeUnit.SECONDS).sendStepActionEvent(
                    event(action, StepActionEventType.STEP_EVENT_TYPE_STARTED, "").build());
        } catch (StatusRuntimeException e) {
            LOG.debug("Could not report {} started: {}", action.getTaskName(), e.getStatus());
        }
    }

    /** The event for the assigned attempt, its ids echoed back and its retry count always set. */
    private StepActionEvent.Builder event(AssignedAction action, StepActionEventType type, String payload) {
        return StepActionEvent.newBuilder()
                .setWorkerId(workerId.get())
                .setJobId(action.getJobId())
                .setJobRunId(action.getJobRunId())
                .setTaskId(action.getTaskId())
                .setTaskRunExternalId(action.getTaskRunExternalId())
                .setActionId(action.getActionId())
                .setEventType(type)
                .setEventPayload(payload.replace("\u0000", ""))
                .setRetryCount(action.getRetryCount())
                .setEventTimestamp(timestamp(clock.instant()));
    }

    /** Sends a step's result, retrying while the engine is unreachable; gives up after five minutes. */
    void report(AssignedAction action, StepActionEventType type, String payload, boolean shouldNotRetry) {
        boolean failed = type == StepActionEventType.STEP_EVENT_TYPE_FAILED;
        StepActionEvent.Builder event = event(action, type, failed && payload.length() > MAX_ERROR_CHARS
                ? payload.substring(0, MAX_ERROR_CHARS) + "… (cut)" : payload);
        if (failed && shouldNotRetry) {
            event.setShouldNotRetry(true);
        }
        long giveUpAt = System.nanoTime() + REPORT_PATIENCE.toNanos();
        for (int failures = 1; ; failures++) {
            try {
                hatchet.dispatcher().withDeadlineAfter(HatchetWorker.CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                        .sendStepActionEvent(event.setWorkerId(workerId.get()).setEventTimestamp(timestamp(clock.instant()))
                                .build());
                return;
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                // INTERNAL: the engine could not queue the event (its database or queue); RESOURCE_EXHAUSTED is
                // the message limit, which no retry changes
                boolean transientError = HatchetConnection.isTransient(code) || code == Status.Code.INTERNAL;
                if (!transientError || System.nanoTime() > giveUpAt || (!running.getAsBoolean() && failures > 3)) {
                    LOG.error("Could not report {} of {} to Hatchet: {}; Hatchet will time the step out and retry it",
                            type, action.getTaskName(), e.getStatus());
                    return;
                }
                HatchetWorker.sleep(backoff.apply(failures));
            }
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

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
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

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
