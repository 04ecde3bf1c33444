package ai.kaaj.hatchet;

import ai.kaaj.hatchet.proto.dispatcher.AssignedAction;
import ai.kaaj.hatchet.proto.dispatcher.DispatcherGrpc;
import ai.kaaj.hatchet.proto.dispatcher.GetVersionRequest;
import ai.kaaj.hatchet.proto.dispatcher.HeartbeatRequest;
import ai.kaaj.hatchet.proto.dispatcher.RuntimeInfo;
import ai.kaaj.hatchet.proto.dispatcher.SDKS;
import ai.kaaj.hatchet.proto.dispatcher.StepActionEvent;
import ai.kaaj.hatchet.proto.dispatcher.StepActionEventType;
import ai.kaaj.hatchet.proto.dispatcher.WorkerListenRequest;
import ai.kaaj.hatchet.proto.dispatcher.WorkerRegisterRequest;
import ai.kaaj.hatchet.proto.events.EventsServiceGrpc;
import ai.kaaj.hatchet.proto.events.PushEventRequest;
import ai.kaaj.hatchet.proto.v1.AdminServiceGrpc;
import ai.kaaj.hatchet.proto.v1.Concurrency;
import ai.kaaj.hatchet.proto.v1.ConcurrencyLimitStrategy;
import ai.kaaj.hatchet.proto.v1.CreateTaskOpts;
import ai.kaaj.hatchet.proto.v1.CreateWorkflowVersionRequest;
import ai.kaaj.hatchet.proto.v1.GetRunDetailsRequest;
import ai.kaaj.support.TestHatchet;
import ai.kaaj.support.TestHatchet.Run;
import ai.kaaj.support.TestHatchet.RunStatus;
import ai.kaaj.support.TestHatchet.TaskStatus;
import io.grpc.Context;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The test engine refuses what Hatchet's engine refuses, with the engine's status codes (each rule is
 * cited in TestHatchet), spoken to over plain gRPC as any client would: so that a difference between
 * our bridge and the real engine fails here and not in a deployment.
 */
class TestHatchetRulesTest {

    private TestHatchet engine;
    private ManagedChannel channel;
    private DispatcherGrpc.DispatcherBlockingStub dispatcher;
    private AdminServiceGrpc.AdminServiceBlockingStub admin;

    @BeforeEach
    void connect() throws Exception {
        engine = new TestHatchet();
        channel = channelTo(engine);
        dispatcher = DispatcherGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        admin = AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
        engine.close();
    }

    private static ManagedChannel channelTo(TestHatchet engine) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + engine.token());
        return Grpc.newChannelBuilder(engine.hostPort(), InsecureChannelCredentials.create())
                .maxInboundMessageSize(8 * 1024 * 1024)
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers)).build();
    }

    private static WorkerRegisterRequest.Builder worker() {
        return WorkerRegisterRequest.newBuilder().setWorkerName("rules-worker").addActions("flow:a")
                .addActions("flow:b").putSlotConfig("default", 2);
    }

    private static Status.Code codeOf(Runnable call) {
        return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    @Test
    void registerTakesOnlyTheEnginesOwnSdkLanguagesOrNone() {
        StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class, () -> dispatcher.register(
                worker().setRuntimeInfo(RuntimeInfo.newBuilder().setLanguage(SDKS.UNKNOWN)).build()));
        assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(unknown.getStatus().getDescription()).isEqualTo("An internal error occurred.");

        assertThat(dispatcher.register(worker().setRuntimeInfo(RuntimeInfo.newBuilder()
                .setLanguage(SDKS.TYPESCRIPT)).build()).getWorkerId()).isNotEmpty();
        assertThat(dispatcher.register(worker().setRuntimeInfo(RuntimeInfo.newBuilder()
                .setSdkVersion("anything").setOs("linux")).build()).getWorkerId()).isNotEmpty();
    }

    @Test
    void registerRefusesBadNamesActionsAndBothSlotFields() {
        assertThat(codeOf(() -> dispatcher.register(worker().setSlots(5).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> dispatcher.register(worker().setWorkerName("a worker").build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> dispatcher.register(worker().addActions("no-colon").build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> dispatcher.register(worker().addServices("bad service").build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(dispatcher.register(worker().clearSlotConfig().setSlots(5).build()).getWorkerId()).isNotEmpty();
        assertThat(engine.workers()).singleElement().satisfies(w -> assertThat(w.slots).isEqualTo(5));
    }

    private static CreateWorkflowVersionRequest.Builder workflow() {
        return CreateWorkflowVersionRequest.newBuilder().setName("flow").addEventTriggers("flow:event")
                .addTasks(CreateTaskOpts.newBuilder().setReadableId("a").setAction("flow:a").setTimeout("30s")
                        .setRetries(1).setBackoffFactor(2).setBackoffMaxSeconds(60).setScheduleTimeout("1h")
                        .putSlotRequests("default", 1))
                .addTasks(CreateTaskOpts.newBuilder().setReadableId("b").setAction("flow:b").addParents("a"))
                .setOnFailureTask(CreateTaskOpts.newBuilder().setReadableId("on-failure").setAction("flow:on-failure"));
    }

    @Test
    void putWorkflowRefusesWhatTheEngineRefusesWithItsCodes() {
        Map<String, UnaryOperator<CreateWorkflowVersionRequest.Builder>> invalid = new LinkedHashMap<>();
        invalid.put("a name with a space", w -> w.setName("my flow"));
        invalid.put("no tasks", w -> w.clearTasks());
        invalid.put("a timeout without unit", w -> w.setTasks(0, w.getTasks(0).toBuilder().setTimeout("30")));
        invalid.put("a timeout in days", w -> w.setTasks(0, w.getTasks(0).toBuilder().setTimeout("1d")));
        invalid.put("an overflowing timeout", w -> w.setTasks(0, w.getTasks(0).toBuilder().setTimeout("3000000h")));
        invalid.put("an empty schedule timeout", w -> w.setTasks(0, w.getTasks(0).toBuilder().setScheduleTimeout("")));
        invalid.put("negative retries", w -> w.setTasks(0, w.getTasks(0).toBuilder().setRetries(-1)));
        invalid.put("a backoff factor below 1", w -> w.setTasks(0, w.getTasks(0).toBuilder().setBackoffFactor(0.5f)));
        invalid.put("a backoff maximum over a day", w -> w.setTasks(0, w.getTasks(0).toBuilder()
                .setBackoffMaxSeconds(86_401)));
        invalid.put("an unknown parent", w -> w.setTasks(1, w.getTasks(1).toBuilder().addParents("z")));
        invalid.put("a slot request of 0", w -> w.setTasks(0, w.getTasks(0).toBuilder().putSlotRequests("default", 0)));
        invalid.put("a concurrency without expression", w -> w.setConcurrency(Concurrency.newBuilder().setMaxRuns(1)));
        invalid.put("a deprecated limit strategy", w -> w.addConcurrencyArr(Concurrency.newBuilder()
                .setExpression("input.id").setLimitStrategy(ConcurrencyLimitStrategy.DROP_NEWEST)));
        invalid.put("a task concurrency without expression", w -> w.setTasks(0, w.getTasks(0).toBuilder()
                .addConcurrency(Concurrency.newBuilder())));
        invalid.put("priority 4", w -> w.setDefaultPriority(4));
        invalid.put("a readable id with a slash", w -> w.setOnFailureTask(w.getOnFailureTask().toBuilder()
                .setReadableId("on/failure")));
        invalid.forEach((what, change) -> assertThat(codeOf(() -> admin.putWorkflow(change.apply(workflow()).build())))
                .as(what).isEqualTo(Status.Code.INVALID_ARGUMENT));

        Map<String, UnaryOperator<CreateWorkflowVersionRequest.Builder>> internal = new LinkedHashMap<>();
        internal.put("an empty action", w -> w.setTasks(0, w.getTasks(0).toBuilder().setAction("")));
        internal.put("an action of four parts", w -> w.setTasks(0, w.getTasks(0).toBuilder().setAction("a:b:c:d")));
        internal.put("a cycle", w -> w.setTasks(0, w.getTasks(0).toBuilder().addParents("b")));
        internal.put("a parent on the on-failure task", w -> w.setOnFailureTask(w.getOnFailureTask().toBuilder()
                .addParents("a")));
        internal.forEach((what, change) -> assertThat(codeOf(() -> admin.putWorkflow(change.apply(workflow()).build())))
                .as(what).isEqualTo(Status.Code.INTERNAL));

        assertThat(admin.putWorkflow(workflow().build()).getWorkflowId()).isNotEmpty();
        assertThat(admin.putWorkflow(workflow().setTasks(0, workflow().getTasks(0).toBuilder().setTimeout("1.5s")
                .setScheduleTimeout("1h30m").setBackoffMaxSeconds(0).clearBackoffFactor()).build()).getId())
                .as("fractions and compound durations; no maximum without a factor").isNotEmpty();
        assertThat(HatchetWorkflows.duration(Duration.ofMillis(1500))).as("what our bridge sends is a duration")
                .isEqualTo("1500ms");
    }

    @Test
    void aHeartbeatBeforeTheFirstListenIsTakenOneAfterTheListenerIsGoneIsNot() throws Exception {
        String workerId = dispatcher.register(worker().build()).getWorkerId();
        HeartbeatRequest beat = HeartbeatRequest.newBuilder().setWorkerId(workerId).build();

        dispatcher.heartbeat(beat);

        BlockingQueue<AssignedAction> actions = new LinkedBlockingQueue<>();
        Context.CancellableContext listening = listen(workerId, actions);
        awaitListening();
        dispatcher.heartbeat(beat);
        listening.cancel(null);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThatThrownBy(() -> dispatcher.heartbeat(beat)).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION)));
        assertThat(codeOf(() -> dispatcher.heartbeat(beat.toBuilder().setWorkerId(UUID.randomUUID().toString())
                .build()))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> dispatcher.heartbeat(beat.toBuilder().setWorkerId("worker-1").build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    private Context.CancellableContext listen(String workerId, BlockingQueue<AssignedAction> actions) {
        Context.CancellableContext context = Context.current().withCancellation();
        context.run(() -> DispatcherGrpc.newStub(channel).listenV2(
                WorkerListenRequest.newBuilder().setWorkerId(workerId).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(AssignedAction action) {
                        actions.add(action);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                }));
        return context;
    }

    /** ListenV2 sends nothing back when it opens: the engine's worker list says when it is established. */
    private void awaitListening() throws Exception {
        admin.putWorkflow(workflow().build());
        Run probe = engine.trigger("flow", "{}");
        engine.awaitRun(r -> r == probe && r.tasks.get("a").status != TaskStatus.QUEUED
                && r.tasks.get("a").status != TaskStatus.PENDING, Duration.ofSeconds(5));
        engine.cancel(probe);
    }

    @Test
    void completedOutputsAreTreatedAsTheEngineTreatsThem() throws Exception {
        admin.putWorkflow(workflow().build());
        String workerId = dispatcher.register(worker().build()).getWorkerId();
        BlockingQueue<AssignedAction> actions = new LinkedBlockingQueue<>();
        Context.CancellableContext listening = listen(workerId, actions);
        try {
            // a JSON value that is not an object completes the task, and its children do not see it
            Run listed = engine.trigger("flow", "{}");
            complete(actions.poll(5, TimeUnit.SECONDS), workerId, "[1,2]");
            AssignedAction child = actions.poll(5, TimeUnit.SECONDS);
            assertThat(listed.tasks.get("a").status).isEqualTo(TaskStatus.COMPLETED);
            assertThat(child.getTaskName()).isEqualTo("b");
            assertThat(ai.kaaj.domain.Json.MAPPER.readTree(child.getActionPayload()).path("parents").has("a")).isFalse();
            complete(child, workerId, "{}");

            // output that is not JSON, or holds NUL, fails the attempt with the engine's words
            Run broken = engine.trigger("flow", "{}");
            complete(actions.poll(5, TimeUnit.SECONDS), workerId, "not json");
            assertThat(engine.events()).contains("a:FAILED:0");
            complete(actions.poll(5, TimeUnit.SECONDS), workerId, "{\"text\":\"a\\u0000b\"}");
            Run failed = engine.awaitRun(r -> r == broken && r.status == RunStatus.FAILED, Duration.ofSeconds(5));
            assertThat(failed.tasks.get("a").error).isEqualTo("encoded jsonb contains invalid null character "
                    + "\\u0000 in field `taskOutput`");
            assertThat(engine.describeRuns()).contains("a=FAILED#1");

            // a report for a task the engine does not know
            assertThat(codeOf(() -> dispatcher.sendStepActionEvent(StepActionEvent.newBuilder().setWorkerId(workerId)
                    .setTaskRunExternalId(UUID.randomUUID().toString()).setActionId("flow:a")
                    .setEventType(StepActionEventType.STEP_EVENT_TYPE_COMPLETED).setEventPayload("{}").build())))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
        } finally {
            listening.cancel(null);
        }
    }

    private void complete(AssignedAction action, String workerId, String output) {
        assertThat(action).as("an assigned step").isNotNull();
        dispatcher.sendStepActionEvent(StepActionEvent.newBuilder().setWorkerId(workerId)
                .setTaskRunExternalId(action.getTaskRunExternalId()).setActionId(action.getActionId())
                .setRetryCount(action.getRetryCount()).setEventType(StepActionEventType.STEP_EVENT_TYPE_COMPLETED)
                .setEventPayload(output).build());
    }

    @Test
    void aMessageOverFourMebibytesIsRefusedWithResourceExhausted() {
        String output = "{\"text\":\"" + "x".repeat(TestHatchet.MAX_MESSAGE_BYTES) + "\"}";

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () ->
                dispatcher.sendStepActionEvent(StepActionEvent.newBuilder().setWorkerId(UUID.randomUUID().toString())
                        .setTaskRunExternalId(UUID.randomUUID().toString())
                        .setEventType(StepActionEventType.STEP_EVENT_TYPE_COMPLETED).setEventPayload(output).build()));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void eventTriggersMatchAsTheEnginesLikePatterns() {
        admin.putWorkflow(workflow().setName("star").clearEventTriggers().addEventTriggers("loan:*").build());
        admin.putWorkflow(workflow().setName("underscore").clearEventTriggers().addEventTriggers("lender_new").build());
        EventsServiceGrpc.EventsServiceBlockingStub events = EventsServiceGrpc.newBlockingStub(channel);

        for (String key : List.of("loan:uploaded", "lenderXnew", "lender_new", "loan-uploaded")) {
            events.push(PushEventRequest.newBuilder().setKey(key).setPayload("{}").build());
        }

        assertThat(engine.runs()).extracting(run -> run.workflow + "<-" + run.eventKey).containsExactly(
                "star<-loan:uploaded", "underscore<-lenderXnew", "underscore<-lender_new");
    }

    @Test
    void versionsAsTheCurrentEngineAndAsOneFromBeforeGetVersion() throws Exception {
        assertThat(dispatcher.getVersion(GetVersionRequest.getDefaultInstance()).getVersion()).isEqualTo("v0.104.7");

        try (TestHatchet legacy = TestHatchet.legacyEngine()) {
            ManagedChannel old = channelTo(legacy);
            try {
                DispatcherGrpc.DispatcherBlockingStub oldDispatcher = DispatcherGrpc.newBlockingStub(old);
                assertThat(codeOf(() -> oldDispatcher.getVersion(GetVersionRequest.getDefaultInstance())))
                        .isEqualTo(Status.Code.UNIMPLEMENTED);
                assertThat(codeOf(() -> AdminServiceGrpc.newBlockingStub(old).getRunDetails(
                        GetRunDetailsRequest.newBuilder().setExternalId(UUID.randomUUID().toString()).build())))
                        .isEqualTo(Status.Code.UNIMPLEMENTED);
                oldDispatcher.register(worker().build());
                assertThat(legacy.workers()).singleElement().as("slot_config is unknown to it: its default")
                        .satisfies(w -> assertThat(w.slots).isEqualTo(100));
                assertThatThrownBy(() -> oldDispatcher.register(worker().setRuntimeInfo(RuntimeInfo.newBuilder()
                        .setLanguage(SDKS.UNKNOWN)).build())).isInstanceOf(StatusRuntimeException.class);
            } finally {
                old.shutdownNow();
            }
        }
    }
}
