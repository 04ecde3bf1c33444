package ai.kaaj.hatchet;

import ai.kaaj.engine.Backoff;
import ai.kaaj.engine.StepRunner;
import ai.kaaj.engine.StepWorker;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.hatchet.proto.dispatcher.ActionType;
import ai.kaaj.hatchet.proto.dispatcher.AssignedAction;
import ai.kaaj.hatchet.proto.dispatcher.HeartbeatRequest;
import ai.kaaj.hatchet.proto.dispatcher.RuntimeInfo;
import ai.kaaj.hatchet.proto.dispatcher.SDKS;
import ai.kaaj.hatchet.proto.dispatcher.StepActionEventType;
import ai.kaaj.hatchet.proto.dispatcher.WorkerListenRequest;
import ai.kaaj.hatchet.proto.dispatcher.WorkerRegisterRequest;
import ai.kaaj.hatchet.proto.dispatcher.WorkerUnsubscribeRequest;
import ai.kaaj.metrics.ProductMetrics;
import ai.kaaj.store.RunStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A worker of Hatchet's: it registers itself with its actions and slots, listens for assigned steps on
 * the ListenV2 stream and hands each to {@link HatchetSteps}, which runs, records and reports it. It
 * heartbeats every 4 s on its own thread, reconnects a dropped stream with jittered exponential backoff
 * (registering again when the engine forgot it), interrupts a step Hatchet cancels, and checks now and
 * then that runs under way here have not ended in Hatchet unseen.
 */
public final class HatchetWorker implements StepWorker {

    private static final Logger LOG = LoggerFactory.getLogger(HatchetWorker.class.getPackageName());
    private static final Duration HEARTBEAT = Duration.ofSeconds(4);
    static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration STABLE_STREAM = Duration.ofSeconds(10);
    /** How long a new stream may be unknown to the engine before a heartbeat's complaint counts. */
    private static final Duration STREAM_SETTLE = Duration.ofSeconds(3);
    /** A workflow's input may carry our run id, so runs the API started map onto its rows. */
    public static final String RUN_ID_METADATA = "kaaj_run_id";

    private final HatchetConnection hatchet;
    private final RunStore runs;
    private final List<WorkflowDefinition> workflows;
    private final ProductMetrics metrics;
    private final String name;
    private final int slots;
    private final Duration reconnectBase;
    private final Duration reconcileEvery;
    private final Clock clock;
    private final Map<String, HatchetSteps.Attempt> inFlight = new ConcurrentHashMap<>();
    private final ExecutorService steps = Executors.newCachedThreadPool(daemon("kaaj-hatchet-step"));
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            daemon("kaaj-hatchet-heartbeat"));
    private final ScheduledExecutorService reconciler = Executors.newSingleThreadScheduledExecutor(
            daemon("kaaj-hatchet-reconcile"));
    private HatchetSteps stepWork;
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
    }

    /** Registers the worker (the workflows were put at start-up) and starts listening and heartbeating. */
    @Override
    public void start(StepRunner runner) {
        stepWork = new HatchetSteps(hatchet, runs, workflows, metrics, runner, steps, () -> workerId, () -> running,
                this::backoff, clock);
        register();
        lastHeartbeat = clock.instant();
        running = true;
        listener = new Thread(this::listenLoop, "kaaj-hatchet-listener");
        listener.setDaemon(true);
        listener.start();
        heartbeats.scheduleAtFixedRate(this::heartbeat, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        reconciler.scheduleWithFixedDelay(() -> stepWork.reconcileQuietRuns(reconcileEvery), reconcileEvery.toMillis(),
                reconcileEvery.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Hatchet worker {} ({}) started with {} slots, registered for {}", name, workerId, slots,
                stepWork.actionIds());
    }

    private void register() {
        try {
            workerId = hatchet.dispatcher().withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .register(WorkerRegisterRequest.newBuilder()
                            .setWorkerName(name)
                            .addAllActions(stepWork.actionIds())
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
        return Backoff.jittered(reconnectBase, failures - 1, MAX_BACKOFF);
    }

    private void heartbeat() {
        String id = workerId;
        try {
            hatchet.dispatcher().withDeadlineAfter(5, TimeUnit.SECONDS).heartbeat(HeartbeatRequest.newBuilder()
                    .setWorkerId(id).setHeartbeatAt(HatchetSteps.timestamp(clock.instant())).build());
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
            HatchetSteps.Attempt attempt = inFlight.get(key);
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
        HatchetSteps.Attempt attempt = new HatchetSteps.Attempt();
        // in the map before it can run; it leaves the map when it ends, run or not (a cancel may come first)
        attempt.task = new FutureTask<>(() -> stepWork.run(action, attempt), null) {
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
            stepWork.report(action, StepActionEventType.STEP_EVENT_TYPE_FAILED, "the worker is stopping", false);
        }
    }

    static void sleep(Duration duration) {
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
    public int slotsInUse() {
        return inFlight.size();
    }

    @Override
    public String owner() {
        return name;
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
