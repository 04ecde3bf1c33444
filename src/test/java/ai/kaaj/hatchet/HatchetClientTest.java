package ai.kaaj.hatchet;

import ai.kaaj.config.HatchetSettings;
import ai.kaaj.config.HatchetToken;
import ai.kaaj.engine.StepDefinition;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.hatchet.HatchetClient.StepEvent;
import ai.kaaj.support.TestHatchet;
import ai.kaaj.support.TestHatchet.Run;
import ai.kaaj.support.TestHatchet.RunStatus;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client layer's retry policy and its translation of Hatchet's messages, over real gRPC on loopback
 * against the in-process engine, which fails the calls a test asks it to: transient failures of a step's
 * report are retried after the backoff's waits, final answers are not, and every other call is tried once.
 */
class HatchetClientTest {

    private static final WorkflowDefinition FLOW = new WorkflowDefinition("client-flow", "Client Flow", "client:event",
            List.of(new StepDefinition("only", List.of(), Duration.ofSeconds(30), 0)),
            new StepDefinition("on-failure", List.of(), Duration.ofSeconds(30), 0));
    private static final String REPORT = "SendStepActionEvent";

    private TestHatchet engine;
    private HatchetClient client;
    private String workerId;
    private final BlockingQueue<HatchetAction> assigned = new LinkedBlockingQueue<>();
    private HatchetClient.Listening stream;

    @BeforeEach
    void connect() throws Exception {
        engine = new TestHatchet();
        client = HatchetClient.open(new HatchetSettings(engine.token(), HatchetToken.parse(engine.token(),
                Clock.systemUTC()), engine.hostPort(), false, null, null, "", null, HatchetSettings.StartMode.TRIGGER),
                Duration.ofMillis(100));
        client.putWorkflows(List.of(FLOW));
        workerId = client.register("client-test", Set.of(client.actionId("client-flow", "only")), 1);
        stream = client.listen(workerId, assigned::add, end -> { });
    }

    @AfterEach
    void close() {
        stream.cancel("test over");
        client.close();
        engine.close();
    }

    private HatchetAction assign(Run run) throws InterruptedException {
        HatchetAction action = assigned.poll(10, TimeUnit.SECONDS);
        assertThat(action).as("the engine assigned the step").isNotNull();
        assertThat(action.runId()).isEqualTo(run.id);
        return action;
    }

    @Test
    void anAssignedStepArrivesAsOurOwnAction() throws Exception {
        Run run = engine.trigger("client-flow", "{\"name\":\"acme\"}", "{\"kaaj_run_id\":\"r-1\"}");

        HatchetAction action = assign(run);

        assertThat(action.type()).isEqualTo(HatchetAction.Type.START_STEP);
        assertThat(action.stepName()).isEqualTo("only");
        assertThat(action.actionId()).isEqualTo("client-flow:only");
        assertThat(action.retryCount()).isZero();
        assertThat(action.stepRunId()).isEqualTo(run.tasks.get("only").externalId);
        assertThat(action.payload()).contains("\"name\":\"acme\"");
        assertThat(action.metadata()).contains("r-1");
        assertThat(action.attemptKey()).isEqualTo(action.stepRunId() + "/0");
    }

    @Test
    void aReportIsRetriedThroughTransientFailuresAfterTheBackoffsWaits() throws Exception {
        Run run = engine.trigger("client-flow", "{}");
        HatchetAction action = assign(run);
        engine.failNext(REPORT, Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.ABORTED);

        long started = System.nanoTime();
        client.report(action, () -> workerId, StepEvent.COMPLETED, "{\"ok\":true}", false, () -> true);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(engine.calls(REPORT)).as("three failures, then the report the engine took").isEqualTo(4);
        assertThat(took).as("waits of at least 50, 100 and 200 ms: the upper halves of 100 ms doubling")
                .isGreaterThanOrEqualTo(Duration.ofMillis(350));
        assertThat(engine.awaitRun(r -> r == run && r.status != RunStatus.RUNNING, Duration.ofSeconds(10)).status)
                .isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void aReportIsRetriedWhenTheEngineCouldNotQueueIt() throws Exception {
        Run run = engine.trigger("client-flow", "{}");
        HatchetAction action = assign(run);
        engine.failNext(REPORT, Status.Code.INTERNAL);

        client.report(action, () -> workerId, StepEvent.COMPLETED, "{}", false, () -> true);

        assertThat(engine.calls(REPORT)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(value = Status.Code.class,
            names = {"INVALID_ARGUMENT", "NOT_FOUND", "FAILED_PRECONDITION", "RESOURCE_EXHAUSTED", "UNIMPLEMENTED"})
    void aFinalAnswerToAReportIsNotRetried(Status.Code code) throws Exception {
        Run run = engine.trigger("client-flow", "{}");
        HatchetAction action = assign(run);
        engine.failNext(REPORT, code);

        assertThatThrownBy(() -> client.report(action, () -> workerId, StepEvent.COMPLETED, "{}", false, () -> true))
                .isInstanceOf(HatchetException.class)
                .hasMessage("Hatchet refused to report COMPLETED of only: " + code + " failure asked for by the test");
        assertThat(engine.calls(REPORT)).isEqualTo(1);
        assertThat(run.tasks.get("only").completions).isZero();
    }

    @Test
    void aRejectedTokenIsNotRetriedAndSaysSo() throws Exception {
        Run run = engine.trigger("client-flow", "{}");
        HatchetAction action = assign(run);
        engine.failNext(REPORT, Status.Code.UNAUTHENTICATED);

        assertThatThrownBy(() -> client.report(action, () -> workerId, StepEvent.FAILED, "boom", true, () -> true))
                .isInstanceOf(HatchetException.class)
                .hasMessageContaining("rejected HATCHET_CLIENT_TOKEN")
                .satisfies(e -> assertThat(((HatchetException) e).rejectedToken()).isTrue());
        assertThat(engine.calls(REPORT)).isEqualTo(1);
    }

    @Test
    void aStoppingWorkersReportGivesUpAfterThreeFailures() throws Exception {
        Run run = engine.trigger("client-flow", "{}");
        HatchetAction action = assign(run);
        engine.failNext(REPORT, Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE,
                Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE);

        assertThatThrownBy(() -> client.report(action, () -> workerId, StepEvent.COMPLETED, "{}", false, () -> false))
                .isInstanceOf(HatchetException.class)
                .hasMessageContaining("is unreachable while trying to report COMPLETED of only")
                .satisfies(e -> assertThat(((HatchetException) e).isTransient()).isTrue());
        assertThat(engine.calls(REPORT)).isEqualTo(4);
    }

    @Test
    void otherCallsAreTriedOnceTheirCallersWaitAndTryAgain() {
        engine.failNext("TriggerWorkflow", Status.Code.UNAVAILABLE);
        assertThatThrownBy(() -> client.trigger("client-flow", "{}", "{}"))
                .isInstanceOf(HatchetException.class)
                .hasMessageContaining("is unreachable while trying to trigger client-flow")
                .satisfies(e -> assertThat(((HatchetException) e).isTransient()).isTrue());
        assertThat(engine.calls("TriggerWorkflow")).isEqualTo(1);

        engine.failNext("Register", Status.Code.ABORTED);
        assertThatThrownBy(() -> client.register("client-test-2", Set.of("client-flow:only"), 1))
                .isInstanceOf(HatchetException.class)
                .satisfies(e -> assertThat(((HatchetException) e).isTransient()).isTrue());
        assertThat(engine.calls("Register")).isEqualTo(2);

        assertThatThrownBy(() -> client.trigger("no-such-flow", "{}", "{}"))
                .isInstanceOf(HatchetException.class)
                .hasMessageContaining("Hatchet refused to trigger no-such-flow: INVALID_ARGUMENT")
                .satisfies(e -> assertThat(((HatchetException) e).isRefusal()).isTrue());
    }

    @Test
    void theRetryWaitsDoubleFromTheFirstWithJitterUpTo30Seconds() {
        assertThat(client.retryWait(1).toMillis()).isBetween(50L, 100L);
        assertThat(client.retryWait(3).toMillis()).isBetween(200L, 400L);
        assertThat(client.retryWait(50).toMillis()).isBetween(15_000L, 30_000L);
    }
}
