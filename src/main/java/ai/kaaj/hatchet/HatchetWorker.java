package ai.kaaj.hatchet;

import ai.kaaj.domain.Json;
import ai.kaaj.engine.StepDefinition;
import ai.kaaj.engine.StepFailure;
import ai.kaaj.engine.StepInput;
import ai.kaaj.engine.StepRunner;
import ai.kaaj.engine.StepWorker;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.hatchet.proto.dispatcher.ActionType;
import ai.kaaj.hatchet.proto.dispatcher.AssignedAction;
import ai.kaaj.hatchet.proto.dispatcher.HeartbeatRequest;
import ai.kaaj.hatchet.proto.dispatcher.RuntimeInfo;
import ai.kaaj.hatchet.proto.dispatcher.SDKS;
import ai.kaaj.hatchet.proto.dispatcher.StepActionEvent;
import ai.kaaj.hatchet.proto.dispatcher.StepActionEventType;
import ai.kaaj.hatchet.proto.dispatcher.WorkerListenRequest;
import ai.kaaj.hatchet.proto.dispatcher.WorkerRegisterRequest;
import ai.kaaj.hatchet.proto.dispatcher.WorkerUnsubscribeRequest;
import ai.kaaj.hatchet.proto.v1.GetRunDetailsRequest;
import ai.kaaj.hatchet.proto.v1.RunStatus;
import ai.kaaj.metrics.ProductMetrics;
import ai.kaaj.store.RunStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A worker of Hatchet's: it registers the workflows and itself, listens for assigned steps on the
 * ListenV2 stream, runs each through its Camel route, records it in our run tables (what the API shows),
 * and reports started, completed or failed. It heartbeats every 4 s on its own thread, reconnects a
 * dropped stream with jittered exponential backoff (registering again when the engine forgot it), and
 * interrupts a step Hatchet cancels. Reports are retried until the engine takes them, so a step that
 * finishes while the connection is down still reports when it is back.
 */
public final class HatchetWorker implements StepWorker {

    private static final Logger LOG = LoggerFactory.getLogger(HatchetWorker.class.getPackageName());
    private static final Duration HEARTBEAT = Duration.ofSeconds(4);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration STABLE_STREAM = Duration.ofSeconds(10);
    /** How long a new stream may be unknown to the engine before a heartbeat's complaint counts. */
    private static final Duration STREAM_SETTLE = Duration.ofSeconds(3);
    /** How long a finished step keeps trying to report while Hatchet is unreachable. */
    private static final Duration REPORT_PATIENCE = Duration.ofMinutes(5);
    /** A workflow's input may carry our run id, so runs the API started map onto its rows. */
    public static final String RUN_ID_METADATA = "kaaj_run_id";

    /** What an action id stands for. */
    private record Action(WorkflowDefinition workflow, StepDefinition step, boolean onFailure) {
    }

    /**
     * One assigned attempt. Its state says which came first: the route's result ("finishing": the result
     * is recorded and reported, a later cancel does not interrupt it) or Hatchet's cancel ("cancelled").
     */
    private static final class Attempt {
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
    private final String name;
    private final int slots;
    private final Duration reconnectBase;
    private final Duration reconcileEvery;
    private final Clock clock;
    private final Map<String, Action> actions = new LinkedHashMap<>();
    private final Map<String, Attempt> inFlight = new ConcurrentHashMap<>();
    private final ExecutorService steps = Executors.newCachedThreadPool(daemon("kaaj-hatchet-step"));
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            daemon("kaaj-hatchet-heartbeat"));
    private final ScheduledExecutorService reconciler = Executors.newSingleThreadScheduledExecutor(
            daemon("kaaj-hatchet-reconcile"));
    private StepRunner stepRunner;
    private Thread listener;
    private volatile String workerId;
    private volatile boolean running;
    private volatile boolean mustRegister;
    private volatile ClientCallStreamObserver<WorkerListenRequest> stream;
    private volatile long streamOpenedAt = System.nanoTime();
    private volatile Instant lastHeartbeat;
    private volatile String lastProblem;

    /**
     * reconnectBase: the first reconnect wait, doubling to 30 s; reconcileEvery: how often runs under way
     * here are checked against Hatchet, and how long a run must be under way before it is.
     */
    public HatchetWorker(HatchetConnection hatchet, RunStore runs, List<WorkflowDefinition> workflows,
                         ProductMetrics metrics, String name, int slots, Duration reconnectBase,
                         Duration reconcileEvery, Clock clock) {
        this.hatchet = hatchet;
        this.runs = runs;
        this.workflows = workflows;
        this.metrics = metrics;
        this.name = hatchet.named(name);
        this.slots = slots;
        this.reconnectBase = reconnectBase;
        this.reconcileEvery = reconcileEvery;
        this.clock = clock;
        for (WorkflowDefinition workflow : workflows) {
            workflow.steps().forEach(step -> actions.put(hatchet.actionId(workflow.name(), step.name()),
                    new Action(workflow, step, false)));
            actions.put(hatchet.actionId(workflow.name(), workflow.onFailure().name()),
                    new Action(workflow, workflow.onFailure(), true));
        }
    }

    /** Registers the worker (the workflows were put at start-up) and starts listening and heartbeating. */
    @Override
    public void start(StepRunner runner) {
        this.stepRunner = runner;
        register();
        lastHeartbeat = clock.instant();
        running = true;
        listener = new Thread(this::listenLoop, "kaaj-hatchet-listener");
        listener.setDaemon(true);
        listener.start();
        heartbeats.scheduleAtFixedRate(this::heartbeat, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        reconciler.scheduleWithFixedDelay(this::reconcileQuietRuns, reconcileEvery.toMillis(), reconcileEvery.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("Hatchet worker {} ({}) started with {} slots, registered for {}", name, workerId, slots,
                actions.keySet());
    }

    private void register() {
        try {
            workerId = hatchet.dispatcher().withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .register(WorkerRegisterRequest.newBuilder()
                            .setWorkerName(name)
                            .addAllActions(actions.keySet())
                            .addServices("default")
                            .putSlotConfig("default", slots)
                            .setRuntimeInfo(RuntimeInfo.newBuilder().setLanguage(SDKS.UNKNOWN)
                                    .setLanguageVersion(System.getProperty("java.version"))
                                    .setOs(System.getProperty("os.name").toLowerCase(Locale.ROOT))
                                    .setExtra("java kaaj-lending-pipelines"))
                            .build())
                    .getWorkerId();
            mustRegister = false;
        } catch (StatusRuntimeException e) {
            throw hatchet.explain("register worker " + name, e);
        }
    }

    /** Keeps one ListenV2 stream open; when it ends, waits (jittered, doubling to 30 s) and opens another. */
    private void listenLoop() {
        int failures = 0;
        while (running) {
            CompletableFuture<Status> ended = new CompletableFuture<>();
            long openedAt = System.nanoTime();
            try {
                if (mustRegister) {
                    register();
                    LOG.info("Hatchet worker {} registered again as {}", name, workerId);
                }
                hatchet.dispatcherStream().listenV2(WorkerListenRequest.newBuilder().setWorkerId(workerId).build(),
                        new ClientResponseObserver<WorkerListenRequest, AssignedAction>() {
                            @Override
                            public void beforeStart(ClientCallStreamObserver<WorkerListenRequest> call) {
                                stream = call;
                                streamOpenedAt = System.nanoTime();
                            }

                            @Override
                            public void onNext(AssignedAction action) {
                                dispatch(action);
                            }

                            @Override
                            public void onError(Throwable t) {
                                ended.complete(Status.fromThrowable(t));
                            }

                            @Override
                            public void onCompleted() {
                                ended.complete(Status.UNAVAILABLE.withDescription("the engine closed the stream"));
                            }
                        });
                Status status = ended.get();
                if (!running) {
                    return;
                }
                // a stream that stayed up a while was healthy: start the backoff afresh
                failures = System.nanoTime() - openedAt > STABLE_STREAM.toNanos() ? 1 : failures + 1;
                if (status.getCode() == Status.Code.NOT_FOUND) {
                    mustRegister = true;
                }
                if (status.getCode() == Status.Code.UNAUTHENTICATED || status.getCode() == Status.Code.PERMISSION_DENIED) {
                    LOG.error("{}", hatchet.explain("listen for steps", status.asRuntimeException()).getMessage());
                } else {
                    LOG.warn("Hatchet step stream ended ({}: {}), reconnecting", status.getCode(),
                            status.getDescription());
                }
            } catch (HatchetException e) {
                failures++;
                LOG.warn("{}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failures++;
                LOG.warn("Hatchet step stream failed: {}", e.toString());
            }
            sleep(backoff(failures));
        }
    }

    /** Full jitter over base · 2^(failures-1), at most 30 s. */
    Duration backoff(int failures) {
        long ceiling = Math.min(MAX_BACKOFF.toMillis(), reconnectBase.toMillis() << Math.min(Math.max(failures - 1, 0), 16));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    private void heartbeat() {
        String id = workerId;
        try {
            hatchet.dispatcher().withDeadlineAfter(5, TimeUnit.SECONDS).heartbeat(HeartbeatRequest.newBuilder()
                    .setWorkerId(id).setHeartbeatAt(timestamp(clock.instant())).build());
            lastHeartbeat = clock.instant();
            lastProblem = null;
        } catch (StatusRuntimeException e) {
            lastProblem = e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
                    : ": " + e.getStatus().getDescription());
            boolean forgotten = e.getStatus().getCode() == Status.Code.NOT_FOUND;
            // the engine lost this worker's stream while ours looks open (a half-open connection): reopen it,
            // unless the stream is new and the engine has not seen it yet
            boolean streamLost = e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION
                    && System.nanoTime() - streamOpenedAt > STREAM_SETTLE.toNanos();
            if (forgotten || streamLost) {
                mustRegister |= forgotten;
                ClientCallStreamObserver<WorkerListenRequest> call = stream;
                if (call != null) {
                    call.cancel(forgotten ? "registering again" : "reopening the stream", null);
                }
            }
            LOG.debug("Hatchet heartbeat failed: {}", e.getStatus());
        } catch (RuntimeException e) {
            lastProblem = e.toString();
            LOG.debug("Hatchet heartbeat failed: {}", e.toString());
        }
    }

    /** Why the engine may not be giving this worker steps, when its heartbeats have not been taken for a while. */
    @Override
    public Optional<String> problem() {
        Duration silent = Duration.between(lastHeartbeat, clock.instant());
        if (!running || silent.compareTo(HEARTBEAT.multipliedBy(3)) < 0) {
            return Optional.empty();
        }
        return Optional.of("no heartbeat accepted by Hatchet for " + silent.toSeconds() + " s"
                + (lastProblem == null ? "" : " (" + lastProblem + ")") + "; reconnecting");
    }

    private void dispatch(AssignedAction action) {
        String key = action.getTaskRunExternalId() + "/" + action.getRetryCount();
        if (action.getActionType() == ActionType.CANCEL_STEP_RUN) {
            Attempt attempt = inFlight.get(key);
            if (attempt != null && attempt.state.compareAndSet("running", "cancelled")) {
                LOG.info("Hatchet cancelled {} of run {}", action.getTaskName(), action.getWorkflowRunId());
                attempt.task.cancel(true);
            }
            return;
        }
        if (action.getActionType() != ActionType.START_STEP_RUN) {
            LOG.warn("Ignoring Hatchet action {} ({}): this worker only runs steps", action.getActionType(),
                    action.getActionId());
            return;
        }
        if (!running) {
            return; // stopping: Hatchet gives the step to another worker when its time is up
        }
        Attempt attempt = new Attempt();
        // in the map before it can run; it leaves the map when it ends, run or not (a cancel may come first)
        attempt.task = new FutureTask<>(() -> runStep(action, attempt), null) {
            @Override
            protected void done() {
                inFlight.remove(key, attempt);
            }
        };
        if (inFlight.putIfAbsent(key, attempt) != null) {
            LOG.info("Hatchet sent {} of run {} again while it runs here; ignoring the repeat", action.getTaskName(),
                    action.getWorkflowRunId());
            return;
        }
        try {
            steps.execute(attempt.task);
        } catch (RejectedExecutionException e) {
            inFlight.remove(key, attempt);
            report(action, StepActionEventType.STEP_EVENT_TYPE_FAILED, "the worker is stopping", false);
        }
    }

    /** Runs one assigned step through its route and reports the outcome. */
    private void runStep(AssignedAction action, Attempt attempt) {
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
            String output = stepRunner.run(workflow, step,
                    new StepInput(runId.toString(), input, parents, error).withDeadline(deadline));
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
            report(action, StepActionEventType.STEP_EVENT_TYPE_COMPLETED, withoutNul(output), false);
        } catch (Exception e) {
            boolean byHatchet = current.cancelledByHatchet();
            boolean stopping = !running && !byHatchet;
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

    /** After a cancel, asks Hatchet (after 1 s, then 5 s) whether the whole run was cancelled. */
    private void followCancelledRun(WorkflowDefinition workflow, UUID runId, String hatchetRunId, JsonNode input) {
        steps.execute(() -> {
            for (Duration wait : List.of(Duration.ofSeconds(1), Duration.ofSeconds(4))) {
                sleep(wait);
                if (reconcile(workflow, runId, hatchetRunId, input)) {
                    return;
                }
            }
        });
    }

    /**
     * Runs under way here that Hatchet may have ended without any worker seeing it (cancelled while queued
     * or between steps): checked every reconcile interval, a few at a time, by every worker.
     */
    private void reconcileQuietRuns() {
        try {
            for (RunStore.HatchetRun run : runs.hatchetRunsUnderWay(reconcileEvery, 20)) {
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
        String ours = metadata.path(RUN_ID_METADATA).asText("");
        try {
            return UUID.fromString(ours.isEmpty() ? action.getWorkflowRunId() : ours);
        } catch (IllegalArgumentException e) {
            return UUID.nameUUIDFromBytes(action.getWorkflowRunId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** STARTED changes nothing on the engine (its timer runs from the assignment): one try, never a wait. */
    private void reportStarted(AssignedAction action) {
        try {
            hatchet.dispatcher().withDeadlineAfter(5, TimeUnit.SECONDS).sendStepActionEvent(StepActionEvent.newBuilder()
                    .setWorkerId(workerId).setJobId(action.getJobId()).setJobRunId(action.getJobRunId())
                    .setTaskId(action.getTaskId()).setTaskRunExternalId(action.getTaskRunExternalId())
                    .setActionId(action.getActionId()).setEventType(StepActionEventType.STEP_EVENT_TYPE_STARTED)
                    .setEventPayload("").setRetryCount(action.getRetryCount())
                    .setEventTimestamp(timestamp(clock.instant())).build());
        } catch (StatusRuntimeException e) {
            LOG.debug("Could not report {} started: {}", action.getTaskName(), e.getStatus());
        }
    }

    /** Sends a step's result, retrying while the engine is unreachable; gives up after five minutes. */
    private void report(AssignedAction action, StepActionEventType type, String payload, boolean shouldNotRetry) {
        StepActionEvent.Builder event = StepActionEvent.newBuilder()
                .setJobId(action.getJobId())
                .setJobRunId(action.getJobRunId())
                .setTaskId(action.getTaskId())
                .setTaskRunExternalId(action.getTaskRunExternalId())
                .setActionId(action.getActionId())
                .setEventType(type)
                .setEventPayload(payload.replace("\u0000", ""))
                .setRetryCount(action.getRetryCount());
        if (type == StepActionEventType.STEP_EVENT_TYPE_FAILED && shouldNotRetry) {
            event.setShouldNotRetry(true);
        }
        long giveUpAt = System.nanoTime() + REPORT_PATIENCE.toNanos();
        for (int failures = 1; ; failures++) {
            try {
                hatchet.dispatcher().withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                        .sendStepActionEvent(event.setWorkerId(workerId).setEventTimestamp(timestamp(clock.instant()))
                                .build());
                return;
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                boolean transientError = code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
                        || code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.INTERNAL;
                if (!transientError || System.nanoTime() > giveUpAt || (!running && failures > 3)) {
                    LOG.error("Could not report {} of {} to Hatchet: {}; Hatchet will time the step out and retry it",
                            type, action.getTaskName(), e.getStatus());
                    return;
                }
                sleep(backoff(failures));
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

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public String owner() {
        return name;
    }

    @Override
    public String engine() {
        return "hatchet";
    }

    /**
     * Stops listening (Hatchet assigns nothing more), lets in-flight steps finish and report within
     * the grace period, interrupts the rest (reported failed, so Hatchet retries them elsewhere at once),
     * and unsubscribes.
     */
    @Override
    public void stop(Duration grace) {
        if (!running) {
            return;
        }
        running = false;
        ClientCallStreamObserver<WorkerListenRequest> call = stream;
        if (call != null) {
            call.cancel("worker stopping", null);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(50));
        }
        steps.shutdownNow();
        try {
            // the interrupted steps report FAILED (retryable): Hatchet gives them to another worker at once
            steps.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // heartbeats went on through the grace period: the engine saw the steps' worker alive until they ended
        heartbeats.shutdownNow();
        reconciler.shutdownNow();
        try {
            hatchet.dispatcher().withDeadlineAfter(5, TimeUnit.SECONDS)
                    .unsubscribe(WorkerUnsubscribeRequest.newBuilder().setWorkerId(workerId).build());
        } catch (StatusRuntimeException e) {
            LOG.debug("Hatchet unsubscribe failed: {}", e.getStatus());
        }
        if (listener != null) {
            listener.interrupt();
        }
        LOG.info("Hatchet worker {} stopped", name);
    }
}
