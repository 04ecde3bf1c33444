package ai.kaaj.engine;

import ai.kaaj.domain.Json;
import ai.kaaj.metrics.ProductMetrics;
import ai.kaaj.store.RunStore;
import ai.kaaj.store.RunStore.ClaimedRun;
import ai.kaaj.store.RunStore.StepRow;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.core.IntervalFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static ai.kaaj.engine.StepRunner.describe;

/**
 * The embedded engine's worker: slot threads claim runs from PostgreSQL (FOR UPDATE SKIP LOCKED),
 * run their steps in order through the step routes, and hold a lease they renew while they work.
 * A run resumes from its last completed step; a failed step is retried with backoff up to its limit,
 * then the run fails and the workflow's on-failure step records the error on the lender or application.
 * Idle slots sleep until PostgreSQL notifies them of a new run (LISTEN), or the poll interval passes.
 */
public final class EmbeddedWorker implements StepWorker, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedWorker.class.getPackageName());
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final RunStore runs;
    private final Map<String, WorkflowDefinition> workflows;
    private final ProductMetrics metrics;
    private StepRunner stepRunner;
    private final DataSource dataSource;
    private final String owner;
    private final int slots;
    private final Duration lease;
    private final Duration poll;
    private final IntervalFunction retryWaits;
    private final Map<UUID, Thread> inFlight = new ConcurrentHashMap<>();
    private final Object wakeUp = new Object();
    /** Wake-up notices so far (guarded by wakeUp): a notice that came while a slot was claiming is not lost. */
    private long notices;
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService leaseRenewer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("kaaj-lease-renewer"));
    private volatile boolean running;

    public EmbeddedWorker(RunStore runs, List<WorkflowDefinition> workflows, ProductMetrics metrics,
                          DataSource dataSource, String owner, int slots, Duration lease, Duration poll,
                          Duration retryBase) {
        this.runs = runs;
        this.metrics = metrics;
        this.workflows = new LinkedHashMap<>();
        workflows.forEach(workflow -> this.workflows.put(workflow.name(), workflow));
        this.dataSource = dataSource;
        this.owner = owner;
        this.slots = slots;
        this.lease = lease;
        this.poll = poll;
        this.retryWaits = Backoff.exponential(retryBase, MAX_BACKOFF);
    }

    @Override
    public void start(StepRunner runner) {
        this.stepRunner = runner;
        running = true;
        for (int slot = 1; slot <= slots; slot++) {
            threads.add(DaemonThreads.start("kaaj-worker-slot-" + slot, this::slotLoop));
        }
        threads.add(RunNotifications.start("kaaj-worker-listener", dataSource, poll, () -> running, this::wakeSlot));
        long renewEvery = Math.max(1, lease.toMillis() / 3);
        leaseRenewer.scheduleAtFixedRate(this::renewLeases, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        LOG.info("Worker {} started with {} slots", owner, slots);
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
        return owner;
    }

    private void slotLoop() {
        while (running) {
            try {
                long seen;
                synchronized (wakeUp) {
                    seen = notices;
                }
                Optional<ClaimedRun> claimed = runs.claim(owner, lease);
                if (claimed.isPresent()) {
                    execute(claimed.get());
                } else {
                    synchronized (wakeUp) {
                        // a run queued while this slot was claiming would otherwise wait for the next poll
                        if (notices == seen && running) {
                            wakeUp.wait(poll.toMillis());
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("Worker could not reach the run queue, retrying: {}", e.getMessage());
                sleepQuietly(poll.toMillis());
            }
        }
    }

    /**
     * One idle slot per new run: waking them all made every idle slot ask the queue for each run, and all but
     * one find nothing. A slot that finishes a run asks the queue again before it waits.
     */
    private void wakeSlot() {
        synchronized (wakeUp) {
            notices++;
            wakeUp.notify();
        }
    }

    private void execute(ClaimedRun run) throws InterruptedException {
        WorkflowDefinition workflow = workflows.get(run.workflow());
        if (workflow == null) {
            LOG.error("Run {} names workflow {}, which this worker does not know", run.id(), run.workflow());
            runs.failRun(run.id(), "(engine)", owner, "unknown workflow " + run.workflow());
            return;
        }
        inFlight.put(run.id(), Thread.currentThread());
        try {
            JsonNode input = Json.read(run.input(), JsonNode.class);
            Map<String, StepRow> rows = new LinkedHashMap<>();
            if (!run.firstClaim()) {
                runs.steps(run.id()).forEach(row -> rows.put(row.step(), row));
            }
            Map<String, JsonNode> outputs = new LinkedHashMap<>();
            // a step that succeeded here is recorded with the next step's start, or with the run's end: one
            // statement, one commit, for both
            Finished finished = null;
            for (StepDefinition step : workflow.steps()) {
                StepRow row = rows.get(step.name());
                if (row != null && "succeeded".equals(row.status())) {
                    outputs.put(step.name(), Json.read(row.output(), JsonNode.class));
                    continue;
                }
                if (row != null && "running".equals(row.status())) {
                    // the attempt in flight when its worker died counts: a document that kills its
                    // reader would otherwise take down one worker after another, for ever
                    int lost = runs.stepLost(run.id(), step.name(), owner, "the worker running " + step.name()
                            + " stopped while " + Workflows.doing(workflow));
                    if (row.attempts() > step.retries()) {
                        failForGood(workflow, run, input, step, "the worker running " + step.name() + " stopped "
                                + lost + (lost == 1 ? " time" : " times") + " while " + Workflows.doing(workflow));
                        return;
                    }
                }
                Map<String, JsonNode> parents = new LinkedHashMap<>();
                step.parents().forEach(parent -> parents.put(parent, outputs.get(parent)));
                int attempt = finished == null ? runs.startStep(run.id(), step.name(), owner)
                        : runs.completeStepAndStart(run.id(), finished.step(), finished.output(), step.name(), owner);
                finished = null;
                LOG.info("Run {} ({}): step {} attempt {}", run.id(), workflow.name(), step.name(), attempt);
                long started = System.nanoTime();
                try {
                    String output = stepRunner.run(workflow, step, new StepInput(run.id().toString(), input, parents, null));
                    finished = new Finished(step.name(), output);
                    metrics.stepFinished(workflow.name(), step.name(), "succeeded", Duration.ofNanos(System.nanoTime() - started));
                    outputs.put(step.name(), Json.read(output, JsonNode.class));
                } catch (InterruptedException e) {
                    throw e;
                } catch (RunStore.LeaseLostException e) {
                    throw e;
                } catch (Exception e) {
                    metrics.stepFinished(workflow.name(), step.name(), "failed", Duration.ofNanos(System.nanoTime() - started));
                    String error = describe(e);
                    boolean retryable = !(e instanceof StepFailure);
                    if (retryable && attempt <= step.retries() && running) {
                        Duration delay = backoff(attempt);
                        LOG.warn("Run {}: step {} failed (attempt {} of {}), retrying in {} ms: {}", run.id(),
                                step.name(), attempt, step.retries() + 1, delay.toMillis(), error);
                        runs.retryLater(run.id(), step.name(), owner, error, delay);
                    } else if (retryable && !running) {
                        runs.release(run.id(), owner);
                    } else {
                        failForGood(workflow, run, input, step, error);
                    }
                    return;
                }
            }
            if (finished == null) {
                runs.completeRun(run.id(), owner);
            } else {
                runs.completeStepAndRun(run.id(), finished.step(), finished.output(), owner);
            }
            metrics.runFinished(workflow.name(), "succeeded");
            LOG.info("Run {} ({}) succeeded", run.id(), workflow.name());
        } catch (InterruptedException e) {
            runs.release(run.id(), owner);
            throw e;
        } catch (RunStore.LeaseLostException e) {
            LOG.warn("Run {}: {}; leaving it to its new worker", run.id(), e.getMessage());
        } catch (Json.DamagedJson e) {
            LOG.error("Run {} has unreadable JSON: {}", run.id(), e.getMessage());
        } finally {
            inFlight.remove(run.id());
        }
    }

    /** A step that succeeded in this run, and its output, not yet recorded. */
    private record Finished(String step, String output) {
    }

    private void failForGood(WorkflowDefinition workflow, ClaimedRun run, JsonNode input, StepDefinition step,
                             String error) {
        LOG.error("Run {}: step {} failed for good: {}", run.id(), step.name(), error);
        runs.failRun(run.id(), step.name(), owner, error);
        metrics.runFinished(workflow.name(), "failed");
        runOnFailure(workflow, run, input, step.name() + ": " + error);
    }

    /** The workflow's on-failure step records the error where users look (lender or application). */
    private void runOnFailure(WorkflowDefinition workflow, ClaimedRun run, JsonNode input, String error) {
        stepRunner.runOnFailure(workflow, run.id().toString(), input, error);
    }

    /** retryBase · 2^(attempt-1), at most a minute. */
    Duration backoff(int attempt) {
        return Duration.ofMillis(retryWaits.apply(attempt));
    }

    private void renewLeases() {
        try {
            runs.renewLeases(owner, List.copyOf(inFlight.keySet()), lease);
        } catch (RuntimeException e) {
            LOG.warn("Worker could not renew its leases: {}", e.getMessage());
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops taking work, lets in-flight steps finish within the grace period, then interrupts the rest
     * and hands their runs back to the queue so another worker picks them up at once.
     */
    @Override
    public void stop(Duration grace) {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            sleepQuietly(50);
        }
        inFlight.values().forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leaseRenewer.shutdownNow();
        LOG.info("Worker {} stopped", owner);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
