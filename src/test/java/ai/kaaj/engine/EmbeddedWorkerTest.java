package ai.kaaj.engine;

import ai.kaaj.metrics.ProductMetrics;
import ai.kaaj.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import ai.kaaj.store.RunStore;
import ai.kaaj.store.RunStore.RunRow;
import ai.kaaj.store.RunStore.StepRow;
import ai.kaaj.store.Sql;
import ai.kaaj.support.TestDatabase;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded engine against real PostgreSQL, with step routes defined here: order and parent
 * outputs, retries, permanent failure, time-outs, resuming a run whose worker vanished, and many
 * runs over two workers each done exactly once.
 */
class EmbeddedWorkerTest extends CamelTestSupport {

    private static final Duration FAST_TIMEOUT = Duration.ofMillis(500);
    private static final WorkflowDefinition TEST_FLOW = new WorkflowDefinition("test-flow", "Test Flow", "test:event",
            List.of(new StepDefinition("first", List.of(), FAST_TIMEOUT, 2),
                    new StepDefinition("second", List.of("first"), FAST_TIMEOUT, 2),
                    new StepDefinition("third", List.of("second"), FAST_TIMEOUT, 1)),
            new StepDefinition("on-failure", List.of(), FAST_TIMEOUT, 1));

    /** A test step's output, as the pipeline's steps give theirs: a record, stored as JSON, read back by its child. */
    record StepDone(String step, int call) {
    }

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<String> secondInputs = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Map<String, String> behaviour = new ConcurrentHashMap<>();
    private final List<EmbeddedWorker> workers = new CopyOnWriteArrayList<>();
    private Database database;
    private RunStore runs;

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (String step : List.of("first", "second", "third")) {
                    from("direct:test-flow." + step).routeId("test-flow." + step).process(exchange -> {
                        StepInput in = exchange.getMessage().getBody(StepInput.class);
                        String key = in.input().path("name").asText() + "/" + step;
                        int call = calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                        if (step.equals("second")) {
                            StepDone first = in.parent("first", StepDone.class);
                            secondInputs.add(first.step() + "#" + first.call());
                        }
                        String mode = behaviour.getOrDefault(key, "ok");
                        switch (mode) {
                            case "fail-once" -> {
                                if (call == 1) {
                                    throw new IllegalStateException("transient trouble");
                                }
                            }
                            case "fail-always" -> throw new IllegalStateException("always broken");
                            case "fail-permanent" -> throw new StepFailure("cannot be done");
                            case "hang" -> Thread.sleep(10_000);
                            default -> {
                            }
                        }
                        exchange.getMessage().setBody(new StepDone(step, call));
                    });
                }
                from("direct:test-flow.on-failure").routeId("test-flow.on-failure").process(exchange ->
                        failures.add(exchange.getMessage().getBody(StepInput.class).error()));
            }
        };
    }

    private RunStore runs() throws Exception {
        if (database == null) {
            database = TestDatabase.open();
            runs = new RunStore(new Sql(database.dataSource()), "embedded");
        }
        return runs;
    }

    private EmbeddedWorker startWorker(String owner, Duration lease) throws Exception {
        return startWorker(owner, lease, Duration.ofMillis(200));
    }

    private EmbeddedWorker startWorker(String owner, Duration lease, Duration poll) throws Exception {
        EmbeddedWorker worker = new EmbeddedWorker(runs(), List.of(TEST_FLOW),
                new ProductMetrics(new SimpleMeterRegistry()), database.dataSource(), owner, 4, lease,
                poll, Duration.ofMillis(50));
        worker.start(new StepRunner(template, 4));
        workers.add(worker);
        return worker;
    }

    private UUID queue(String name) throws Exception {
        RunStore store = runs();
        return new Sql(database.dataSource()).inTransaction(c -> store.create(c, TEST_FLOW.name(), TEST_FLOW.event(),
                "{\"name\":\"" + name + "\"}", List.of("first", "second", "third")));
    }

    /** The errors the on-failure step was given: it runs once the run is recorded failed, so it may still be due. */
    private List<String> awaitOnFailure() {
        return await("the on-failure step").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> List.copyOf(failures), called -> !called.isEmpty());
    }

    private RunRow awaitFinished(UUID run) {
        return await("run " + run + " finishing").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> runs.find(run), row -> row.isPresent()
                        && (row.get().status().equals("succeeded") || row.get().status().equals("failed")))
                .orElseThrow();
    }

    private static StepRow step(RunRow run, String name) {
        return run.steps().stream().filter(s -> s.step().equals(name)).findFirst().orElseThrow();
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(worker -> worker.stop(Duration.ofSeconds(2)));
        if (database != null) {
            database.close();
        }
    }

    @Test
    void newRunsStartAtOnceOnTheirNoticesNotAtTheNextPoll() throws Exception {
        startWorker("w1", Duration.ofSeconds(5), Duration.ofMinutes(5));
        Thread.sleep(300); // every slot has found the queue empty and waits
        List<UUID> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(queue("noticed" + i));
        }
        for (UUID id : ids) {
            assertThat(awaitFinished(id).status()).isEqualTo("succeeded");
        }
    }

    @Test
    void runsStepsInOrderPassingParentOutputs() throws Exception {
        startWorker("w1", Duration.ofSeconds(5));
        RunRow run = awaitFinished(queue("a"));
        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(run.steps()).allSatisfy(step -> {
            assertThat(step.status()).isEqualTo("succeeded");
            assertThat(step.attempts()).isEqualTo(1);
        });
        assertThat(secondInputs).containsExactly("first#1");
    }

    @Test
    void retriesATransientFailure() throws Exception {
        behaviour.put("b/second", "fail-once");
        startWorker("w1", Duration.ofSeconds(5));
        RunRow run = awaitFinished(queue("b"));
        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(step(run, "second").attempts()).isEqualTo(2);
        assertThat(calls.get("b/first").get()).as("completed steps are not run again").isEqualTo(1);
    }

    @Test
    void failsTheRunAfterItsRetriesAndRunsOnFailure() throws Exception {
        behaviour.put("c/third", "fail-always");
        startWorker("w1", Duration.ofSeconds(5));
        RunRow run = awaitFinished(queue("c"));
        assertThat(run.status()).isEqualTo("failed");
        assertThat(run.error()).isEqualTo("third: always broken");
        assertThat(step(run, "third").attempts()).isEqualTo(2);
        assertThat(step(run, "third").error()).isEqualTo("always broken");
        assertThat(awaitOnFailure()).containsExactly("third: always broken");
    }

    @Test
    void aStepFailureIsNotRetried() throws Exception {
        behaviour.put("d/first", "fail-permanent");
        startWorker("w1", Duration.ofSeconds(5));
        RunRow run = awaitFinished(queue("d"));
        assertThat(run.status()).isEqualTo("failed");
        assertThat(step(run, "first").attempts()).isEqualTo(1);
        assertThat(step(run, "second").status()).isEqualTo("pending");
    }

    @Test
    void aStepPastItsTimeoutIsCancelledAndRetried() throws Exception {
        behaviour.put("e/second", "hang");
        startWorker("w1", Duration.ofSeconds(5));
        RunRow run = awaitFinished(queue("e"));
        assertThat(run.status()).isEqualTo("failed");
        assertThat(step(run, "second").attempts()).isEqualTo(3);
        assertThat(step(run, "second").error()).isEqualTo("second timed out after 500 ms and was cancelled");
    }

    @Test
    void resumesARunWhoseWorkerVanishedAfterTheLeaseExpires() throws Exception {
        UUID id = queue("f");
        // A worker that claimed the run, finished its first step, started the second and died without a word.
        RunStore.ClaimedRun claimed = runs.claim("dead-worker", Duration.ofMillis(300)).orElseThrow();
        assertThat(claimed.id()).isEqualTo(id);
        runs.startStep(id, "first", "dead-worker");
        runs.completeStepAndStart(id, "first", "{\"step\":\"first\",\"call\":0}", "second", "dead-worker");

        startWorker("w2", Duration.ofSeconds(5));
        RunRow run = awaitFinished(id);
        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(calls.get("f/first")).as("the completed step is not run again").isNull();
        assertThat(step(run, "first").attempts()).isEqualTo(1);
        assertThat(secondInputs).as("the stored output of the completed step").containsExactly("first#0");
    }

    @Test
    void aStepWhoseWorkerDiedOnceRunsAgain() throws Exception {
        UUID id = queue("g");
        dieDuringStep(id, "first", "dead-worker");

        startWorker("w2", Duration.ofSeconds(5));
        RunRow run = awaitFinished(id);
        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(step(run, "first").attempts()).as("the lost attempt and the one that succeeded").isEqualTo(2);
        assertThat(calls.get("g/first").get()).isEqualTo(1);
    }

    @Test
    void aStepWhoseWorkerDiedOnEveryAttemptFailsTheRun() throws Exception {
        UUID id = queue("h");
        for (int death = 1; death <= 3; death++) {
            dieDuringStep(id, "first", "dead-worker-" + death);
        }

        startWorker("w4", Duration.ofSeconds(5));
        RunRow run = awaitFinished(id);
        assertThat(run.status()).isEqualTo("failed");
        assertThat(run.error()).isEqualTo("first: the worker running first stopped 3 times while running this workflow");
        assertThat(step(run, "first").status()).isEqualTo("failed");
        assertThat(step(run, "first").attempts()).isEqualTo(3);
        assertThat(calls.get("h/first")).as("not tried a fourth time").isNull();
        assertThat(awaitOnFailure())
                .containsExactly("first: the worker running first stopped 3 times while running this workflow");
    }

    /**
     * A worker process claims the run once the last one's lease has expired, records the attempt its
     * predecessor lost (as the engine does on resuming), starts the step and dies without a word.
     */
    private void dieDuringStep(UUID id, String step, String owner) {
        Optional<RunStore.ClaimedRun> claimed = await(owner + " claiming a run").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).until(() -> runs.claim(owner, Duration.ofMillis(200)),
                        Optional::isPresent);
        assertThat(claimed.map(RunStore.ClaimedRun::id)).contains(id);
        if (runs.steps(id).stream().anyMatch(row -> row.step().equals(step) && row.status().equals("running"))) {
            runs.stepLost(id, step, owner, "lost");
        }
        runs.startStep(id, step, owner);
    }

    @Test
    void twoWorkersRunEveryRunExactlyOnce() throws Exception {
        startWorker("w1", Duration.ofSeconds(5));
        startWorker("w2", Duration.ofSeconds(5));
        List<UUID> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(queue("many" + i));
        }
        for (UUID id : ids) {
            assertThat(awaitFinished(id).status()).isEqualTo("succeeded");
        }
        for (int i = 0; i < 40; i++) {
            for (String step : List.of("first", "second", "third")) {
                assertThat(calls.get("many" + i + "/" + step).get()).as("many%d/%s", i, step).isEqualTo(1);
            }
        }
    }
}
