package ai.kaaj.hatchet;

import ai.kaaj.config.AppConfig;
import ai.kaaj.config.HatchetSettings;
import ai.kaaj.config.HatchetToken;
import ai.kaaj.engine.StepDefinition;
import ai.kaaj.engine.StepFailure;
import ai.kaaj.engine.StepInput;
import ai.kaaj.engine.StepRunner;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.hatchet.proto.dispatcher.RuntimeInfo;
import ai.kaaj.hatchet.proto.v1.CreateTaskOpts;
import ai.kaaj.hatchet.proto.v1.CreateWorkflowVersionRequest;
import ai.kaaj.metrics.ProductMetrics;
import ai.kaaj.store.Database;
import ai.kaaj.store.HatchetRunStore;
import ai.kaaj.store.RunStore;
import ai.kaaj.store.RunStore.RunRow;
import ai.kaaj.store.Sql;
import ai.kaaj.support.TestDatabase;
import ai.kaaj.support.TestHatchet;
import ai.kaaj.support.TestHatchet.Run;
import ai.kaaj.support.TestHatchet.RunStatus;
import ai.kaaj.support.TestHatchet.TaskStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The bridge's real gRPC client code against the in-process engine on loopback, with step routes
 * defined here: registration, the DAG with parent outputs, retries then failure, cancel and timeout
 * mid-step, a dropped stream, a forgotten worker, an engine restart mid-step, and a rejected token.
 */
class HatchetWorkerTest extends CamelTestSupport {

    private static final WorkflowDefinition TEST_FLOW = new WorkflowDefinition("test-flow", "Test Flow", "test:event",
            List.of(new StepDefinition("first", List.of(), Duration.ofSeconds(6), 2),
                    new StepDefinition("second", List.of("first"), Duration.ofSeconds(1), 1)),
            new StepDefinition("on-failure", List.of(), Duration.ofSeconds(5), 1));

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, String> behaviour = new ConcurrentHashMap<>();
    private final List<String> secondInputs = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch interrupted = new CountDownLatch(1);
    private TestHatchet engine;
    private Database database;
    private RunStore runs;
    private HatchetRunStore hatchetRuns;
    private HatchetClient connection;
    private HatchetWorker worker;

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (String step : List.of("first", "second")) {
                    from("direct:test-flow." + step).routeId("test-flow." + step).process(exchange -> {
                        StepInput in = exchange.getMessage().getBody(StepInput.class);
                        String name = in.input().path("name").asText();
                        int call = calls.computeIfAbsent(name + "/" + step, k -> new AtomicInteger()).incrementAndGet();
                        if (step.equals("second")) {
                            secondInputs.add(in.parents().get("first").toString());
                        }
                        Object output = Map.of("step", step, "name", name, "call", call);
                        switch (behaviour.getOrDefault(name + "/" + step, "ok")) {
                            case "fail-always" -> throw new IllegalStateException("boom " + call);
                            case "fail-permanent" -> throw new StepFailure("cannot be done");
                            case "slow-first-call" -> {
                                if (call == 1) {
                                    sleepInterruptibly(5000);
                                }
                            }
                            case "hang" -> sleepInterruptibly(60_000);
                            case "hang-first-call" -> {
                                if (call == 1) {
                                    sleepInterruptibly(60_000);
                                }
                            }
                            case "pause" -> Thread.sleep(1000);
                            case "list-output" -> output = List.of("not", "an", "object");
                            case "huge-output" -> output = Map.of("text", "x".repeat(TestHatchet.MAX_MESSAGE_BYTES));
                            default -> {
                            }
                        }
                        exchange.getMessage().setBody(output);
                    });
                }
                from("direct:test-flow.on-failure").routeId("test-flow.on-failure").process(exchange ->
                        failures.add(exchange.getMessage().getBody(StepInput.class).error()));
            }
        };
    }

    private void sleepInterruptibly(long millis) throws InterruptedException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            interrupted.countDown();
            throw e;
        }
    }

    @BeforeEach
    void startBridge() throws Exception {
        engine = new TestHatchet();
        database = TestDatabase.open();
        runs = new RunStore(new Sql(database.dataSource()), "hatchet");
        hatchetRuns = new HatchetRunStore(new Sql(database.dataSource()));
        connection = HatchetClient.open(settings(engine.token()), Duration.ofMillis(100));
        connection.putWorkflows(List.of(TEST_FLOW));
        worker = new HatchetWorker(connection, hatchetRuns, List.of(TEST_FLOW),
                new ProductMetrics(new SimpleMeterRegistry()), "test-worker", 2, Duration.ofSeconds(1), Clock.systemUTC());
        worker.start(new StepRunner(template, 4));
    }

    @AfterEach
    void stopBridge() {
        worker.stop(Duration.ZERO);
        connection.close();
        engine.close();
        database.close();
    }

    private HatchetSettings settings(String token) {
        return new HatchetSettings(token, HatchetToken.parse(token, Clock.systemUTC()), engine.hostPort(), false, null,
                null, "", null, HatchetSettings.StartMode.TRIGGER);
    }

    private Run start(String name) {
        return engine.trigger("test-flow", "{\"name\":\"" + name + "\"}");
    }

    private Run awaitEnd(Run run) throws InterruptedException {
        return awaitEnd(engine, run);
    }

    private static Run awaitEnd(TestHatchet on, Run run) throws InterruptedException {
        return on.awaitRun(r -> r == run && r.status != RunStatus.RUNNING
                && (r.status != RunStatus.FAILED || r.onFailure.status == TaskStatus.COMPLETED), Duration.ofSeconds(20));
    }

    private RunRow ourRun(Run run) {
        return runs.find(UUID.fromString(run.id)).orElseThrow();
    }

    /** Waits up to 10 s for our run to reach the status; fails with the status it has then. */
    private void awaitOurStatus(UUID run, String expected, String because) {
        await(because).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(runs.find(run).orElseThrow().status()).as(because).isEqualTo(expected));
    }

    @Test
    void theWorkflowAndTheWorkerAreRegisteredAsTheDefinitionSays() throws Exception {
        CreateWorkflowVersionRequest registered = engine.workflows().get("test-flow");
        assertThat(registered.getDescription()).isEqualTo("Test Flow");
        assertThat(registered.getEventTriggersList()).containsExactly("test:event");
        assertThat(registered.getTasksList()).extracting(CreateTaskOpts::getReadableId).containsExactly("first", "second");
        CreateTaskOpts second = registered.getTasks(1);
        assertThat(second.getAction()).isEqualTo("test-flow:second");
        assertThat(second.getParentsList()).containsExactly("first");
        assertThat(second.getTimeout()).isEqualTo("1s");
        assertThat(second.getRetries()).isEqualTo(1);
        assertThat(registered.getTasks(0).getTimeout()).isEqualTo("6s");
        assertThat(registered.getOnFailureTask().getAction()).isEqualTo("test-flow:on-failure");

        TestHatchet.Worker registeredWorker = engine.workers().get(0);
        assertThat(registeredWorker.registration.getWorkerName()).isEqualTo("test-worker");
        assertThat(registeredWorker.registration.getActionsList())
                .containsExactlyInAnyOrder("test-flow:first", "test-flow:second", "test-flow:on-failure");
        assertThat(registeredWorker.registration.getSlotConfigMap()).containsEntry("default", 2);
        assertThat(registeredWorker.registration.hasSlots()).as("the deprecated slots field stays unset").isFalse();
        RuntimeInfo runtime = registeredWorker.registration.getRuntimeInfo();
        assertThat(runtime.hasLanguage()).as("unset: the engine refuses every language but its own SDKs'").isFalse();
        assertThat(runtime.getSdkVersion()).startsWith("kaaj-lending-pipelines ");
        assertThat(runtime.getLanguageVersion()).isEqualTo("java " + System.getProperty("java.version"));
        assertThat(runtime.getOs()).isEqualTo(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT));
        assertThat(connection.engineVersionText()).isEqualTo(TestHatchet.VERSION);
        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(registeredWorker.heartbeats).as("heartbeats every 4 s").isGreaterThanOrEqualTo(2));
    }

    @Test
    void aRunWalksTheDagWithParentOutputsAndIsRecordedInOurTables() throws Exception {
        Run run = awaitEnd(start("dag"));

        assertThat(run.status).isEqualTo(RunStatus.COMPLETED);
        assertThat(secondInputs).singleElement().asString().contains("\"step\":\"first\"", "\"name\":\"dag\"");
        assertThat(engine.events()).containsSubsequence("first:STARTED:0", "first:COMPLETED:0",
                "second:STARTED:0", "second:COMPLETED:0");
        RunRow ours = ourRun(run);
        assertThat(ours.status()).isEqualTo("succeeded");
        assertThat(ours.steps()).extracting(RunStore.StepRow::status).containsOnly("succeeded");
        assertThat(ours.steps()).filteredOn(step -> step.step().equals("second")).singleElement()
                .satisfies(step -> assertThat(step.output()).contains("\"step\": \"second\""));
    }

    @Test
    void aFailingStepIsRetriedThenTheRunFailsAndTheOnFailureStepGetsTheError() throws Exception {
        behaviour.put("broken/first", "fail-always");

        Run run = awaitEnd(start("broken"));

        assertThat(run.status).isEqualTo(RunStatus.FAILED);
        assertThat(calls.get("broken/first")).hasValue(3);
        assertThat(engine.events()).containsSubsequence("first:FAILED:0", "first:FAILED:1", "first:FAILED:2");
        assertThat(run.tasks.get("first").error).contains("boom 3", "IllegalStateException");
        assertThat(failures).singleElement().asString().contains("first", "boom 3");
        RunRow ours = ourRun(run);
        assertThat(ours.status()).isEqualTo("failed");
        assertThat(ours.error()).contains("boom 3");
        assertThat(ours.steps()).filteredOn(step -> step.step().equals("first")).singleElement()
                .satisfies(step -> assertThat(step.attempts()).isEqualTo(3));
    }

    @Test
    void aRunOfOursStartedTwiceInHatchetRunsOnlyOnce() throws Exception {
        String ourRunId = UUID.randomUUID().toString();
        String metadata = "{\"" + HatchetWorker.RUN_ID_METADATA + "\":\"" + ourRunId + "\"}";
        Run first = awaitEnd(engine.trigger("test-flow", "{\"name\":\"twice\"}", metadata));
        Run duplicate = awaitEnd(engine.trigger("test-flow", "{\"name\":\"twice\"}", metadata));

        assertThat(first.status).isEqualTo(RunStatus.COMPLETED);
        assertThat(duplicate.status).isEqualTo(RunStatus.FAILED);
        assertThat(duplicate.tasks.get("first").error).contains("duplicate");
        assertThat(calls.get("twice/first")).as("the duplicate's step never ran").hasValue(1);
        assertThat(failures).as("nor did its on-failure step").isEmpty();
        RunRow ours = runs.find(UUID.fromString(ourRunId)).orElseThrow();
        assertThat(ours.status()).isEqualTo("succeeded");
        assertThat(runs.find(UUID.fromString(first.id)).orElseThrow().id()).as("found by Hatchet's id")
                .isEqualTo(ours.id());
    }

    @Test
    void outputWithNulCharactersIsCleanedForTheEngine() {
        assertThat(HatchetSteps.withoutNul("{\"text\":\"a\\u0000b\"}")).isEqualTo("{\"text\":\"ab\"}");
        assertThat(HatchetSteps.withoutNul("{\"text\":\"a\\\\u0000b\"}")).as("an escaped backslash is kept")
                .isEqualTo("{\"text\":\"a\\\\u0000b\"}");
    }

    @Test
    void aStepFailureIsNotRetried() throws Exception {
        behaviour.put("hopeless/first", "fail-permanent");

        Run run = awaitEnd(start("hopeless"));

        assertThat(run.status).isEqualTo(RunStatus.FAILED);
        assertThat(calls.get("hopeless/first")).hasValue(1);
        assertThat(ourRun(run).error()).contains("cannot be done");
    }

    @Test
    void anOutputThatIsNotAJsonObjectFailsTheStepForGood() throws Exception {
        behaviour.put("listed/first", "list-output");

        Run run = awaitEnd(start("listed"));

        assertThat(run.status).isEqualTo(RunStatus.FAILED);
        assertThat(calls.get("listed/first")).as("not retried, though the step has 2 retries").hasValue(1);
        assertThat(engine.events()).contains("first:FAILED:0").doesNotContain("first:COMPLETED:0");
        assertThat(run.tasks.get("first").error).contains("the step's output is not a JSON object",
                "[\"not\",\"an\",\"object\"]");
        assertThat(ourRun(run).error()).contains("not a JSON object");
        assertThat(failures).singleElement().asString().contains("not a JSON object");
    }

    @Test
    void anOutputOverTheEngineMessageLimitFailsTheStepForGoodNamingItsSize() throws Exception {
        behaviour.put("huge/first", "huge-output");

        long started = System.nanoTime();
        Run run = awaitEnd(start("huge"));

        assertThat(run.status).isEqualTo(RunStatus.FAILED);
        assertThat(calls.get("huge/first")).as("not retried").hasValue(1);
        assertThat(run.tasks.get("first").error).matches("(?s)the step's output is 4,194,\\d{3} bytes, over the "
                + "4,194,304 bytes Hatchet takes in one message.*");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not retried as if the engine were away")
                .isLessThan(Duration.ofSeconds(20));
        assertThat(ourRun(run).status()).isEqualTo("failed");
        assertThat(ourRun(run).error()).contains("over the 4,194,304 bytes");
    }

    @Test
    void onAnEngineOlderThanSlotConfigTheWorkerRegistersWithTheLegacySlotsField() throws Exception {
        try (TestHatchet legacy = TestHatchet.legacyEngine();
             HatchetClient old = HatchetClient.open(new HatchetSettings(legacy.token(),
                     HatchetToken.parse(legacy.token(), Clock.systemUTC()), legacy.hostPort(), false, null, null, "",
                     null, HatchetSettings.StartMode.TRIGGER), Duration.ofMillis(100))) {
            old.putWorkflows(List.of(TEST_FLOW));
            HatchetWorker oldWorker = new HatchetWorker(old, hatchetRuns, List.of(TEST_FLOW),
                    new ProductMetrics(new SimpleMeterRegistry()), "old-engine-worker", 3, Duration.ofMillis(200),
                    Clock.systemUTC());
            oldWorker.register();
            oldWorker.start(new StepRunner(template, 3));
            try {
                assertThat(old.engineVersionText()).isEqualTo("older than v0.78.23 (no GetVersion)");
                TestHatchet.Worker registered = legacy.workers().get(0);
                assertThat(registered.registration.getSlotConfigMap()).isEmpty();
                assertThat(registered.registration.getSlots()).isEqualTo(3);
                assertThat(registered.slots).as("the engine's 100 otherwise").isEqualTo(3);

                // a 1 s step: the reconciler (every 200 ms) checks the run under way and finds no GetRunDetails
                behaviour.put("old/first", "pause");
                Run run = awaitEnd(legacy, legacy.trigger("test-flow", "{\"name\":\"old\"}"));

                assertThat(run.status).isEqualTo(RunStatus.COMPLETED);
                assertThat(legacy.runDetailsAsked()).as("asked once, then no more").isEqualTo(1);
                assertThat(oldWorker.problem()).isEmpty();
            } finally {
                oldWorker.stop(Duration.ZERO);
            }
        }
    }

    @Test
    void aWorkerTheEngineRefusesToRegisterSaysWhyAtOnce() {
        engine.limitWorkers(1); // test-worker has the tenant's only place

        HatchetWorker extra = new HatchetWorker(connection, hatchetRuns, List.of(TEST_FLOW),
                new ProductMetrics(new SimpleMeterRegistry()), "extra-worker", 2, Duration.ofSeconds(1),
                Clock.systemUTC());

        assertThatThrownBy(extra::register).isInstanceOf(HatchetException.class)
                .hasMessage("Hatchet refused to register worker extra-worker: RESOURCE_EXHAUSTED resource exhausted: "
                        + "tenant worker limit or concurrency limit exceeded");
    }

    @Test
    void aWorkerThatCannotReachTheEngineYetRegistersWhenItCanAndHealthSaysSoMeanwhile() throws Exception {
        engine.stopServing();
        HatchetWorker late = new HatchetWorker(connection, hatchetRuns, List.of(TEST_FLOW),
                new ProductMetrics(new SimpleMeterRegistry()), "late-worker", 2, Duration.ofSeconds(1),
                Clock.systemUTC());
        late.register();
        late.start(new StepRunner(template, 3));
        try {
            assertThat(late.problem()).hasValueSatisfying(problem -> assertThat(problem)
                    .startsWith("not registered with Hatchet yet: Hatchet at " + engine.hostPort() + " is unreachable")
                    .endsWith("; retrying"));

            engine.serveAgain();

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(engine.workers()).extracting(w -> w.registration.getWorkerName()).contains("late-worker"));
            worker.stop(Duration.ZERO); // only the late worker is left to run steps
            assertThat(awaitEnd(start("late")).status).isEqualTo(RunStatus.COMPLETED);
            assertThat(late.problem()).isEmpty();
        } finally {
            late.stop(Duration.ZERO);
        }
    }

    @Test
    void aWorkerTheEngineRefusesToRegisterAgainStopsAndHealthSaysWhy() throws Exception {
        engine.limitWorkers(0);
        engine.forgetWorkers();

        await("the refused worker stopping").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> !worker.isRunning());
        assertThat(worker.problem()).hasValue("Hatchet refused to register worker test-worker: RESOURCE_EXHAUSTED "
                + "resource exhausted: tenant worker limit or concurrency limit exceeded");
    }

    @Test
    void aCancelInterruptsTheRunningStepWhichReportsNothingAndFreesItsSlot() throws Exception {
        behaviour.put("cancelled/first", "hang");
        Run run = start("cancelled");
        engine.awaitRun(r -> r == run && r.tasks.get("first").status == TaskStatus.RUNNING, Duration.ofSeconds(10));
        // reported started is not yet running: a cancel in between ends the attempt before its route starts
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calls.containsKey("cancelled/first"));

        engine.cancel(run);

        assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the step's thread was interrupted").isTrue();
        await("no event after the cancel").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(engine.events()).filteredOn(e -> e.startsWith("first:"))
                        .containsExactly("first:STARTED:0"));
        assertThat(ourRun(run).steps()).filteredOn(step -> step.step().equals("first")).singleElement()
                .satisfies(step -> assertThat(step.error()).contains("cancelled"));
        awaitOurStatus(UUID.fromString(run.id), "cancelled", "Hatchet says the whole run was cancelled");
        // the on-failure step runs after the run is recorded as cancelled
        await("the on-failure step ran").atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(failures)
                .as("the on-failure step marks the lender or application").containsExactly("the run was cancelled in Hatchet"));
        // both slots are free again: two more runs complete side by side
        Run next = start("after-cancel-1");
        Run other = start("after-cancel-2");
        assertThat(awaitEnd(next).status).isEqualTo(RunStatus.COMPLETED);
        assertThat(awaitEnd(other).status).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void aRunCancelledWhileQueuedIsFoundByTheReconcilerAndMarked() throws Exception {
        behaviour.put("busy-1/first", "hang");
        behaviour.put("busy-2/first", "hang");
        Run busy1 = start("busy-1");
        Run busy2 = start("busy-2");
        engine.awaitRun(r -> r == busy2 && r.tasks.get("first").status == TaskStatus.RUNNING, Duration.ofSeconds(10));
        engine.awaitRun(r -> r == busy1 && r.tasks.get("first").status == TaskStatus.RUNNING, Duration.ofSeconds(10));
        // both slots are taken: the API's run waits in Hatchet's queue, where a user cancels it
        UUID ours = new Sql(database.dataSource()).inTransaction(c -> runs.create(c, "test-flow", "test:event",
                "{\"name\":\"queued\"}", List.of("first", "second")));
        Run[] queued = new Run[1];
        assertThat(hatchetRuns.dispatchWaiting(1, run -> {
            queued[0] = engine.trigger("test-flow", run.input(),
                    "{\"" + HatchetWorker.RUN_ID_METADATA + "\":\"" + run.id() + "\"}");
            return new HatchetRunStore.Handover(queued[0].id, null);
        })).isEqualTo(1);
        engine.cancel(queued[0]);

        awaitOurStatus(ours, "cancelled", "our run cancelled");
        await("the on-failure step ran").atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(failures)
                .containsExactly("the run was cancelled in Hatchet"));
        assertThat(calls).doesNotContainKey("queued/first");
        engine.cancel(busy1);
        engine.cancel(busy2);
    }

    @Test
    void aRunHatchetRefusesForGoodDoesNotHoldUpTheRunsBehindIt() throws Exception {
        Sql sql = new Sql(database.dataSource());
        UUID refused = sql.inTransaction(c -> runs.create(c, "retired-flow", "x:event", "{}", List.of("only")));
        UUID next = sql.inTransaction(c -> runs.create(c, "test-flow", "test:event", "{}", List.of("first")));
        String hatchetId = UUID.randomUUID().toString();

        int handed = hatchetRuns.dispatchWaiting(10, run -> run.id().equals(refused)
                ? new HatchetRunStore.Handover(null, "Hatchet refused to trigger retired-flow: INVALID_ARGUMENT")
                : new HatchetRunStore.Handover(hatchetId, null));

        assertThat(handed).isEqualTo(2);
        assertThat(runs.find(refused).orElseThrow().status()).isEqualTo("failed");
        assertThat(runs.find(refused).orElseThrow().error()).contains("INVALID_ARGUMENT");
        assertThat(runs.find(UUID.fromString(hatchetId)).orElseThrow().id()).as("handed over, found by Hatchet's id")
                .isEqualTo(next);

        // the relay refuses, for good, a run of a workflow this service does not have
        UUID unknown = sql.inTransaction(c -> runs.create(c, "retired-flow", "x:event", "{}", List.of("only")));
        HatchetRunRelay relay = new HatchetRunRelay(connection, hatchetRuns, HatchetSettings.StartMode.TRIGGER,
                database.dataSource(), Duration.ofMillis(200));
        relay.start();
        try {
            awaitOurStatus(unknown, "failed", "the unknown run failed");
        } finally {
            relay.stop();
        }
        assertThat(runs.find(unknown).orElseThrow().error()).isEqualTo("this service has no workflow retired-flow");
    }

    @Test
    void aLateReportOfAnAttemptHatchetGaveUpOnChangesNothing() {
        UUID run = UUID.randomUUID();
        String hatchetId = UUID.randomUUID().toString();
        List<String> names = List.of("first", "second");
        assertThat(hatchetRuns.stepStarted(run, hatchetId, "test-flow", null, "{}", names, "first", 1)).isTrue();
        assertThat(hatchetRuns.stepStarted(run, hatchetId, "test-flow", null, "{}", names, "first", 2)).isTrue();
        hatchetRuns.stepSucceeded(run, "first", 2, "{\"ok\": true}", false);

        hatchetRuns.stepFailed(run, "first", 1, "attempt 1 finally gave up", true);

        RunRow ours = runs.find(run).orElseThrow();
        assertThat(ours.status()).isEqualTo("running");
        assertThat(ours.steps()).filteredOn(step -> step.step().equals("first")).singleElement()
                .satisfies(step -> {
                    assertThat(step.status()).isEqualTo("succeeded");
                    assertThat(step.attempts()).isEqualTo(2);
                });
        assertThat(hatchetRuns.stepStarted(run, UUID.randomUUID().toString(), "test-flow", null, "{}", names,
                "second", 1)).as("another Hatchet run for the same run of ours").isFalse();
    }

    @Test
    void aStepPastItsTimeoutIsCancelledAndRetried() throws Exception {
        behaviour.put("slow/second", "slow-first-call");

        Run run = awaitEnd(start("slow"));

        assertThat(run.status).isEqualTo(RunStatus.COMPLETED);
        // the engine's timer and the worker's own (both 1 s) race: either ends the first attempt
        assertThat(engine.events()).containsAnyOf("second:TIMED_OUT:0", "second:FAILED:0")
                .contains("second:COMPLETED:1");
        assertThat(engine.events()).doesNotContain("second:COMPLETED:0");
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ourRun(run).status()).isEqualTo("succeeded");
    }

    @Test
    void aStoppingWorkerHandsItsStepBackAndAnotherWorkerFinishesIt() throws Exception {
        HatchetWorker second = new HatchetWorker(connection, hatchetRuns, List.of(TEST_FLOW),
                new ProductMetrics(new SimpleMeterRegistry()), "second-worker", 2, Duration.ofSeconds(1),
                Clock.systemUTC());
        behaviour.put("handover/first", "hang-first-call");
        Run run = start("handover");
        engine.awaitRun(r -> r == run && r.tasks.get("first").status == TaskStatus.RUNNING, Duration.ofSeconds(10));
        second.start(new StepRunner(template, 4));
        try {
            long started = System.nanoTime();
            worker.stop(Duration.ZERO);

            Run ended = awaitEnd(run);
            assertThat(ended.status).isEqualTo(RunStatus.COMPLETED);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait for the 6 s timeout")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(engine.events()).containsSubsequence("first:FAILED:0", "first:COMPLETED:1");
            assertThat(ended.tasks.get("first").error).contains("the worker stopped");
            assertThat(ourRun(run).status()).isEqualTo("succeeded");
        } finally {
            second.stop(Duration.ZERO);
        }
    }

    @Test
    void aDroppedStreamIsReopenedAndWorkFlowsAgain() throws Exception {
        String workerId = engine.workers().get(0).id;
        engine.dropStreams();

        Run run = awaitEnd(start("after-drop"));

        assertThat(run.status).isEqualTo(RunStatus.COMPLETED);
        assertThat(engine.workers()).as("the same worker, listening again").extracting(w -> w.id)
                .containsExactly(workerId);
    }

    @Test
    void aForgottenWorkerRegistersAgain() throws Exception {
        String workerId = engine.workers().get(0).id;
        engine.forgetWorkers();

        Run run = awaitEnd(start("after-forget"));

        assertThat(run.status).isEqualTo(RunStatus.COMPLETED);
        assertThat(engine.workers()).as("registered again, under a new id").singleElement()
                .satisfies(w -> assertThat(w.id).isNotEqualTo(workerId));
    }

    @Test
    void aStepFinishingWhileTheEngineRestartsReportsWhenItIsBack() throws Exception {
        behaviour.put("restart/first", "pause");
        Run run = start("restart");
        engine.awaitRun(r -> r == run && r.tasks.get("first").status == TaskStatus.RUNNING, Duration.ofSeconds(10));

        // the step ends (after 1 s) while the engine is down (2 s); its time limit is 6 s
        engine.restart(Duration.ofSeconds(2));

        Run ended = awaitEnd(run);
        assertThat(ended.status).isEqualTo(RunStatus.COMPLETED);
        assertThat(calls.get("restart/first")).as("the step ran once; its report waited for the engine").hasValue(1);
        assertThat(ended.tasks.get("first").completions).isEqualTo(1);
        assertThat(ourRun(run).status()).isEqualTo("succeeded");
    }

    @Test
    void reconnectWaitsAreJitteredAndDoubleUpTo30Seconds() {
        for (int i = 0; i < 20; i++) {
            assertThat(worker.backoff(1).toMillis()).isBetween(50L, 100L);
            assertThat(worker.backoff(4).toMillis()).isBetween(400L, 800L);
            assertThat(worker.backoff(40).toMillis()).isBetween(15_000L, 30_000L);
        }
        assertThat(java.util.stream.IntStream.range(0, 50).mapToObj(i -> worker.backoff(4)).distinct().count())
                .as("jittered").isGreaterThan(10);
    }

    @Test
    void aTokenTheEngineRejectsStopsRegistrationWithAClearMessage() {
        String otherTenant = TestHatchet.jwt(UUID.randomUUID().toString(), engine.hostPort(),
                System.currentTimeMillis() / 1000 + 600);
        try (HatchetClient rejected = HatchetClient.open(settings(otherTenant), Duration.ofMillis(100))) {
            assertThatThrownBy(() -> rejected.putWorkflows(List.of(TEST_FLOW)))
                    .isInstanceOf(HatchetException.class)
                    .hasMessageContaining("rejected HATCHET_CLIENT_TOKEN")
                    .hasMessageContaining("invalid auth token");
        }
        assertThatThrownBy(() -> HatchetToken.parse("not-a-token", Clock.systemUTC()))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessageStartingWith("HATCHET_CLIENT_TOKEN is not a valid Hatchet token: ");
        String expired = TestHatchet.jwt(TestHatchet.TENANT, engine.hostPort(), 1_700_000_000L);
        assertThatThrownBy(() -> HatchetToken.parse(expired, Clock.systemUTC()))
                .hasMessageContaining("not a valid Hatchet token: it expired at 2023-11-14");
    }
}
