package ai.kaaj.hatchet;

import ai.kaaj.engine.DaemonThreads;
import ai.kaaj.engine.StepRunner;
import ai.kaaj.engine.StepWorker;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.hatchet.HatchetClient.Listening;
import ai.kaaj.hatchet.HatchetClient.StepEvent;
import ai.kaaj.metrics.ProductMetrics;
import ai.kaaj.store.HatchetRunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A worker of Hatchet's: it registers itself with its actions and slots, listens for assigned steps on
 * the ListenV2 stream and hands each to {@link HatchetSteps}, which runs, records and reports it. It
 * heartbeats every 4 s on its own thread, reconnects a dropped stream after the client's retry wait
 * (registering again when the engine forgot it), interrupts a step Hatchet cancels, and checks now and
 * then that runs under way here have not ended in Hatchet unseen. It runs at most its slots' worth of
 * steps at once, whatever the engine sends.
 */
public final class HatchetWorker implements StepWorker {

    private static final Logger LOG = LoggerFactory.getLogger(HatchetWorker.class.getPackageName());
    private static final Duration HEARTBEAT = Duration.ofSeconds(4);
    private static final Duration STABLE_STREAM = Duration.ofSeconds(10);
    /** How long a new stream may be unknown to the engine before a heartbeat's complaint counts. */
    private static final Duration STREAM_SETTLE = Duration.ofSeconds(3);
    /** A workflow's input may carry our run id, so runs the API started map onto its rows. */
    public static final String RUN_ID_METADATA = "kaaj_run_id";

    private final HatchetClient hatchet;
    private final HatchetRunStore runs;
    private final List<WorkflowDefinition> workflows;
    private final ProductMetrics metrics;
    private final String name;
    private final int slots;
    private final Duration reconcileEvery;
    private final Clock clock;
    private final Set<String> actionIds;
    private final Map<String, HatchetSteps.Attempt> inFlight = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor steps;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("kaaj-hatchet-heartbeat"));
    private final ScheduledExecutorService reconciler = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("kaaj-hatchet-reconcile"));
    private HatchetSteps stepWork;
    private Thread listener;
    private volatile String workerId;
    private volatile boolean running;
    private volatile boolean mustRegister;
    private volatile Listening stream;
    private volatile long streamOpenedAt = System.nanoTime();
    private volatile Instant lastHeartbeat;
    private volatile String lastProblem;
    /** Why the engine will not register this worker, once it said so for good: the worker has stopped. */
    private volatile String refusal;
    private volatile Consumer<String> onRefusal = reason -> { };

    /**
     * reconcileEvery: how often runs under way here are checked against Hatchet, and how long a run must
     * be under way before it is.
     */
    public HatchetWorker(HatchetClient hatchet, HatchetRunStore runs, List<WorkflowDefinition> workflows,
                         ProductMetrics metrics, String name, int slots, Duration reconcileEvery, Clock clock) {
        this.hatchet = hatchet;
        this.runs = runs;
        this.workflows = workflows;
        this.metrics = metrics;
        this.name = hatchet.named(name);
        this.slots = slots;
        this.reconcileEvery = reconcileEvery;
        this.clock = clock;
        this.actionIds = HatchetSteps.actionIds(workflows, hatchet);
        this.steps = new ThreadPoolExecutor(slots, slots, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.named("kaaj-hatchet-step"));
    }

    /**
     * Registers the worker with the engine, before anything else starts: a refusal (the engine will not
     * take this registration, whatever the wait) throws, so the process ends saying why. When the engine
     * cannot be reached just now, the worker registers once started, retrying with the reconnect backoff.
     */
    public void register() {
        try {
            registerNow();
        } catch (HatchetException e) {
            if (!e.isTransient()) {
                throw e;
            }
            mustRegister = true;
            lastProblem = e.getMessage();
            LOG.warn("{}; retrying", e.getMessage());
        }
    }

    /** Starts listening and heartbeating (registering first if {@link #register()} has not yet). */
    @Override
    public void start(StepRunner runner) {
        stepWork = new HatchetSteps(hatchet, runs, workflows, metrics, runner, reconciler, () -> workerId,
                () -> running, clock);
        if (workerId == null && !mustRegister) {
            register();
        }
        lastHeartbeat = clock.instant();
        running = true;
        listener = DaemonThreads.start("kaaj-hatchet-listener", this::listenLoop);
        heartbeats.scheduleAtFixedRate(this::heartbeat, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        reconciler.scheduleWithFixedDelay(() -> stepWork.reconcileQuietRuns(reconcileEvery), reconcileEvery.toMillis(),
                reconcileEvery.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Hatchet worker {} ({}) started with {} slots, registered for {}", name,
                workerId == null ? "registering" : workerId, slots, actionIds);
    }

    private void registerNow() {
        workerId = hatchet.register(name, actionIds, slots);
        mustRegister = false;
        lastProblem = null;
    }

    /** Keeps one ListenV2 stream open; when it ends, waits (jittered, doubling to 30 s) and opens another. */
    private void listenLoop() {
        int failures = 0;
        while (running) {
            CompletableFuture<HatchetException> ended = new CompletableFuture<>();
            long openedAt = System.nanoTime();
            try {
                if (mustRegister) {
                    boolean before = workerId != null;
                    registerNow();
                    LOG.info("Hatchet worker {} registered{} as {}", name, before ? " again" : "", workerId);
                }
                stream = hatchet.listen(workerId, this::dispatch, ended::complete);
                streamOpenedAt = System.nanoTime();
                HatchetException end = ended.get();
                if (!running) {
                    return;
                }
                // a stream that stayed up a while was healthy: start the backoff afresh
                failures = System.nanoTime() - openedAt > STABLE_STREAM.toNanos() ? 1 : failures + 1;
                if (end.workerUnknown()) {
                    mustRegister = true;
                }
                if (end.rejectedToken()) {
                    LOG.error("{}", end.getMessage());
                } else {
                    LOG.warn("Hatchet step stream ended ({}), reconnecting", end.detail());
                }
            } catch (HatchetException e) {
                if (mustRegister && !e.isTransient()) {
                    refuse(e);
                    return;
                }
                failures++;
                lastProblem = e.getMessage();
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

    /** The client's retry wait: jittered, doubling from its first wait to 30 s. */
    Duration backoff(int failures) {
        return hatchet.retryWait(failures);
    }

    /** What to do, besides stopping, when the engine refuses to register this worker again (say, end the process). */
    public void onRefusal(Consumer<String> action) {
        onRefusal = action;
    }

    /**
     * The engine refused to register this worker again (it did once): no step will come, so the worker
     * stops, health says why, and the refusal action runs.
     */
    private void refuse(HatchetException e) {
        refusal = e.getMessage();
        LOG.error("{}; this worker takes no more steps", e.getMessage());
        stop(Duration.ZERO);
        onRefusal.accept(refusal);
    }

    private void heartbeat() {
        String id = workerId;
        if (id == null) {
            return; // not registered yet: the listener registers first
        }
        try {
            hatchet.heartbeat(id);
            lastHeartbeat = clock.instant();
            lastProblem = null;
        } catch (HatchetException e) {
            lastProblem = e.detail();
            // the engine lost this worker's stream while ours looks open (a half-open connection): reopen it,
            // unless the stream is new and the engine has not seen it yet
            boolean streamLost = e.streamUnknown() && System.nanoTime() - streamOpenedAt > STREAM_SETTLE.toNanos();
            if (e.workerUnknown() || streamLost) {
                mustRegister |= e.workerUnknown();
                Listening call = stream;
                if (call != null) {
                    call.cancel(e.workerUnknown() ? "registering again" : "reopening the stream");
                }
            }
            LOG.debug("Hatchet heartbeat failed: {}", e.detail());
        } catch (RuntimeException e) {
            lastProblem = e.toString();
            LOG.debug("Hatchet heartbeat failed: {}", e.toString());
        }
    }

    /** Why the engine may not be giving this worker steps, when its heartbeats have not been taken for a while. */
    @Override
    public Optional<String> problem() {
        if (refusal != null) {
            return Optional.of(refusal);
        }
        if (running && workerId == null) {
            return Optional.of("not registered with Hatchet yet: " + lastProblem + "; retrying");
        }
        Duration silent = Duration.between(lastHeartbeat, clock.instant());
        if (!running || silent.compareTo(HEARTBEAT.multipliedBy(3)) < 0) {
            return Optional.empty();
        }
        return Optional.of("no heartbeat accepted by Hatchet for " + silent.toSeconds() + " s"
                + (lastProblem == null ? "" : " (" + lastProblem + ")") + "; reconnecting");
    }

    private void dispatch(HatchetAction action) {
        String key = action.attemptKey();
        if (action.type() == HatchetAction.Type.CANCEL_STEP) {
            HatchetSteps.Attempt attempt = inFlight.get(key);
            if (attempt != null && attempt.state.compareAndSet("running", "cancelled")) {
                LOG.info("Hatchet cancelled {} of run {}", action.stepName(), action.runId());
                attempt.task.cancel(true);
            }
            return;
        }
        if (action.type() != HatchetAction.Type.START_STEP) {
            LOG.warn("Ignoring Hatchet action {}: this worker only runs steps", action.actionId());
            return;
        }
        if (!running) {
            return; // stopping: Hatchet gives the step to another worker when its time is up
        }
        HatchetSteps.Attempt attempt = new HatchetSteps.Attempt();
        // in the map before it can run; it leaves the map when it ends, run or not (a cancel may come first)
        attempt.task = new StepTask(action, () -> stepWork.run(action, attempt)) {
            @Override
            protected void done() {
                inFlight.remove(key, attempt);
            }
        };
        if (inFlight.putIfAbsent(key, attempt) != null) {
            LOG.info("Hatchet sent {} of run {} again while it runs here; ignoring the repeat", action.stepName(),
                    action.runId());
            return;
        }
        try {
            steps.execute(attempt.task);
        } catch (RejectedExecutionException e) {
            inFlight.remove(key, attempt);
            stepWork.report(action, StepEvent.FAILED, "the worker is stopping", false);
        }
    }

    /** An assigned step waiting for, or holding, one of the worker's step threads. */
    private static class StepTask extends FutureTask<Void> {
        final HatchetAction action;

        StepTask(HatchetAction action, Runnable work) {
            super(work, null);
            this.action = action;
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        Listening call = stream;
        if (call != null) {
            call.cancel("worker stopping");
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(50));
        }
        for (Runnable waiting : steps.shutdownNow()) {
            // sent beyond our slots (an engine that ignored them) and never started: Hatchet may give it elsewhere
            StepTask step = (StepTask) waiting;
            step.cancel(false);
            stepWork.report(step.action, StepEvent.FAILED,
                    "the worker stopped before the step started; Hatchet runs it again", false);
        }
        try {
            // the interrupted steps report FAILED (retryable): Hatchet gives them to another worker at once
            steps.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // heartbeats went on through the grace period: the engine saw the steps' worker alive until they ended
        heartbeats.shutdownNow();
        reconciler.shutdownNow();
        if (workerId != null) {
            try {
                hatchet.unsubscribe(workerId);
            } catch (HatchetException e) {
                LOG.debug("Hatchet unsubscribe failed: {}", e.detail());
            }
        }
        if (listener != null && listener != Thread.currentThread()) {
            listener.interrupt();
        }
        LOG.info("Hatchet worker {} stopped", name);
    }
}
