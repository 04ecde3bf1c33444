package ai.kaaj.hatchet;

import ai.kaaj.config.HatchetSettings;
import ai.kaaj.engine.Backoff;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.hatchet.proto.dispatcher.ActionType;
import ai.kaaj.hatchet.proto.dispatcher.AssignedAction;
import ai.kaaj.hatchet.proto.dispatcher.DispatcherGrpc;
import ai.kaaj.hatchet.proto.dispatcher.GetVersionRequest;
import ai.kaaj.hatchet.proto.dispatcher.HeartbeatRequest;
import ai.kaaj.hatchet.proto.dispatcher.RuntimeInfo;
import ai.kaaj.hatchet.proto.dispatcher.StepActionEvent;
import ai.kaaj.hatchet.proto.dispatcher.StepActionEventType;
import ai.kaaj.hatchet.proto.dispatcher.WorkerListenRequest;
import ai.kaaj.hatchet.proto.dispatcher.WorkerRegisterRequest;
import ai.kaaj.hatchet.proto.dispatcher.WorkerUnsubscribeRequest;
import ai.kaaj.hatchet.proto.events.EventsServiceGrpc;
import ai.kaaj.hatchet.proto.events.PushEventRequest;
import ai.kaaj.hatchet.proto.v1.AdminServiceGrpc;
import ai.kaaj.hatchet.proto.v1.GetRunDetailsRequest;
import ai.kaaj.hatchet.proto.v1.RunStatus;
import ai.kaaj.hatchet.proto.v1.TriggerWorkflowRequest;
import ai.kaaj.hatchet.proto.workflows.WorkflowServiceGrpc;
import com.google.protobuf.Timestamp;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Every call this service makes to Hatchet's engine (Dispatcher, Events, WorkflowService and v1 Admin),
 * over one gRPC channel with the token on every call (streams included), the keepalive the official
 * SDKs use and the namespace Hatchet clients prefix names with. Proto messages stop here: steps come
 * out as {@link HatchetAction}s, failures as {@link HatchetException}s saying what went wrong. Every
 * unary call has the same deadline, and one retry policy: transient failures only, waits doubling
 * from the first retry wait to 30 s with jitter; a step's report is the call retried here, the worker's
 * stream and the hand-over of runs wait by the same backoff in their own loops.
 */
public final class HatchetClient implements AutoCloseable {

    /** The engine's default limit on any message, both ways (SERVER_GRPC_MAX_MSG_SIZE); larger ones are refused. */
    static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    /** The first engine version whose Register takes slot_config (the official SDKs' MinEngineVersion.SLOT_CONFIG). */
    static final String SLOT_CONFIG_VERSION = "v0.78.23";
    /** Every unary call's deadline. */
    static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(30);
    /** How long a finished step keeps trying to report while Hatchet is unreachable. */
    private static final Duration REPORT_PATIENCE = Duration.ofMinutes(5);
    /** A stopping worker's report gives up after this many failures: the engine retries the step elsewhere. */
    private static final int REPORT_FAILURES_WHILE_STOPPING = 3;
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** What a step reports: STARTED changes nothing on the engine, whose timer runs from the assignment. */
    public enum StepEvent {
        STARTED(StepActionEventType.STEP_EVENT_TYPE_STARTED),
        COMPLETED(StepActionEventType.STEP_EVENT_TYPE_COMPLETED),
        FAILED(StepActionEventType.STEP_EVENT_TYPE_FAILED);

        private final StepActionEventType type;

        StepEvent(StepActionEventType type) {
            this.type = type;
        }
    }

    /** How a Hatchet run stands, as far as a worker here cares. */
    public enum RunState { UNDER_WAY, CANCELLED, ENDED }

    /** An open step stream: cancelling it ends it. */
    public interface Listening {
        void cancel(String why);
    }

    private final ManagedChannel channel;
    private final String namespace;
    private final String target;
    private final IntervalFunction retryWaits;
    private final Clock clock = Clock.systemUTC();
    private volatile Optional<String> engineVersion;

    private HatchetClient(ManagedChannel channel, String namespace, String target, Duration firstRetryWait) {
        this.channel = channel;
        this.namespace = namespace;
        this.target = target;
        this.retryWaits = Backoff.jittered(firstRetryWait, MAX_RETRY_WAIT);
    }

    /** firstRetryWait: the wait before the first retry, doubling (with jitter) up to 30 s. */
    public static HatchetClient open(HatchetSettings settings, Duration firstRetryWait) {
        ChannelCredentials credentials;
        try {
            credentials = !settings.tls() ? InsecureChannelCredentials.create()
                    : settings.rootCaFile() == null ? TlsChannelCredentials.create()
                    : TlsChannelCredentials.newBuilder().trustManager(settings.rootCaFile().toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read HATCHET_CLIENT_TLS_ROOT_CA_FILE " + settings.rootCaFile(), e);
        }
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + settings.token());
        ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(settings.hostPort(), credentials)
                // the engine drops clients that ping more often than every 5 s
                .keepAliveTime(10, TimeUnit.SECONDS)
                .keepAliveTimeout(60, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .userAgent("kaaj-lending-pipelines")
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
        if (settings.serverName() != null) {
            builder.overrideAuthority(settings.serverName());
        }
        return new HatchetClient(builder.build(), settings.namespace(), settings.hostPort(), firstRetryWait);
    }

    /** Workflow names, event keys and the worker name carry the namespace; task names do not. */
    public String named(String name) {
        return namespace.isEmpty() || name.startsWith(namespace) ? name : namespace + name;
    }

    /** The action id a task is registered, advertised and assigned by: workflow:task, lower case. */
    public String actionId(String workflow, String task) {
        return (named(workflow) + ":" + task).toLowerCase(Locale.ROOT);
    }

    /** The wait before the nth retry (n from 1) of anything Hatchet did not take for now. */
    public Duration retryWait(int retry) {
        return Duration.ofMillis(retryWaits.apply(Math.max(retry, 1)));
    }

    // ---- Admin and WorkflowService ------------------------------------------------------------

    /**
     * Puts the workflow definitions to Hatchet (a definition Hatchet already has makes no new version).
     * Every process does this at start-up: it is also how a bad token or address is found at once.
     */
    public void putWorkflows(List<WorkflowDefinition> workflows) {
        for (WorkflowDefinition workflow : workflows) {
            call("register workflow " + workflow.name(), () -> timed(AdminServiceGrpc.newBlockingStub(channel))
                    .putWorkflow(HatchetWorkflows.registration(workflow, this)));
        }
    }

    /** Starts a run of the workflow; returns Hatchet's run id. */
    public String trigger(String workflow, String input, String metadata) {
        return call("trigger " + workflow, () -> timed(WorkflowServiceGrpc.newBlockingStub(channel))
                .triggerWorkflow(TriggerWorkflowRequest.newBuilder()
                        .setName(named(workflow))
                        .setInput(input)
                        .setAdditionalMetadata(metadata)
                        .build()).getWorkflowRunId());
    }

    /** How the run stands in Hatchet (GetRunDetails, which engines before v0.74.9 do not have). */
    public RunState runState(String runId) {
        RunStatus status = call("read run " + runId, () -> timed(AdminServiceGrpc.newBlockingStub(channel))
                .getRunDetails(GetRunDetailsRequest.newBuilder().setExternalId(runId).build()).getStatus());
        return status == RunStatus.CANCELLED ? RunState.CANCELLED
                : status == RunStatus.RUNNING || status == RunStatus.QUEUED ? RunState.UNDER_WAY : RunState.ENDED;
    }

    // ---- Events -------------------------------------------------------------------------------

    /** Pushes an event (its key namespaced): the workflows it triggers start. */
    public void push(String event, String payload, String metadata) {
        call("accept event " + event, () -> timed(EventsServiceGrpc.newBlockingStub(channel))
                .push(PushEventRequest.newBuilder()
                        .setKey(named(event))
                        .setPayload(payload)
                        .setEventTimestamp(timestamp(clock.instant()))
                        .setAdditionalMetadata(metadata)
                        .build()));
    }

    // ---- Dispatcher ---------------------------------------------------------------------------

    /**
     * The engine's version from GetVersion, asked on first use; empty for an engine too old to have
     * GetVersion (it answers UNIMPLEMENTED), as the official SDKs read it.
     */
    public Optional<String> engineVersion() {
        Optional<String> known = engineVersion;
        if (known == null) {
            try {
                String version = call("ask the engine's version", () -> timed(DispatcherGrpc.newBlockingStub(channel))
                        .getVersion(GetVersionRequest.getDefaultInstance()).getVersion());
                known = version.isBlank() ? Optional.empty() : Optional.of(version);
            } catch (HatchetException e) {
                if (!e.unsupported()) {
                    throw e;
                }
                known = Optional.empty();
            }
            engineVersion = known;
        }
        return known;
    }

    /** The engine's version for people: logs and /api/health. */
    public String engineVersionText() {
        return engineVersion().orElse("older than " + SLOT_CONFIG_VERSION + " (no GetVersion)");
    }

    /** Registers a worker (by its namespaced name) for these actions and slots; returns its id. */
    public String register(String worker, Set<String> actionIds, int slots) {
        WorkerRegisterRequest.Builder request = WorkerRegisterRequest.newBuilder()
                .setWorkerName(worker)
                .addAllActions(actionIds)
                .addServices("default")
                .setRuntimeInfo(runtimeInfo());
        if (supportsSlotConfig()) {
            request.putSlotConfig("default", slots);
        } else {
            request.setSlots(slots); // engines before slot_config ignore it and would give us their default 100
        }
        return call("register worker " + worker, () -> timed(DispatcherGrpc.newBlockingStub(channel))
                .register(request.build()).getWorkerId());
    }

    /** Whether Register takes slot_config; older engines know only the legacy slots field. */
    boolean supportsSlotConfig() {
        return engineVersion().map(version -> compareVersions(version, SLOT_CONFIG_VERSION) >= 0).orElse(false);
    }

    /**
     * What the engine stores about this worker. language stays unset: the engine takes only its own
     * SDKs' languages and answers any other value, UNKNOWN included, with INTERNAL (pkg/repository/worker.go).
     */
    static RuntimeInfo runtimeInfo() {
        String version = HatchetClient.class.getPackage().getImplementationVersion();
        return RuntimeInfo.newBuilder()
                .setSdkVersion("kaaj-lending-pipelines " + (version == null ? "(built from source)" : version))
                .setLanguageVersion("java " + System.getProperty("java.version"))
                .setOs(System.getProperty("os.name").toLowerCase(Locale.ROOT))
                .setExtra("Kaaj's own grpc-java bridge over Hatchet's protos")
                .build();
    }

    /**
     * Opens the worker's step stream (ListenV2, no deadline): each assigned step or cancel goes to
     * onAction, and the stream's end, whatever ended it, to onEnd.
     */
    public Listening listen(String workerId, Consumer<HatchetAction> onAction, Consumer<HatchetException> onEnd) {
        AtomicReference<ClientCallStreamObserver<WorkerListenRequest>> stream = new AtomicReference<>();
        DispatcherGrpc.newStub(channel).listenV2(WorkerListenRequest.newBuilder().setWorkerId(workerId).build(),
                new ClientResponseObserver<WorkerListenRequest, AssignedAction>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<WorkerListenRequest> call) {
                        stream.set(call);
                    }

                    @Override
                    public void onNext(AssignedAction action) {
                        onAction.accept(action(action));
                    }

                    @Override
                    public void onError(Throwable t) {
                        onEnd.accept(explain("listen for steps", Status.fromThrowable(t).asRuntimeException()));
                    }

                    @Override
                    public void onCompleted() {
                        onEnd.accept(explain("listen for steps", Status.UNAVAILABLE
                                .withDescription("the engine closed the stream").asRuntimeException()));
                    }
                });
        return why -> stream.get().cancel(why, null);
    }

    /** The assigned action as our own type: the proto message goes no further. */
    static HatchetAction action(AssignedAction action) {
        HatchetAction.Type type = action.getActionType() == ActionType.START_STEP_RUN ? HatchetAction.Type.START_STEP
                : action.getActionType() == ActionType.CANCEL_STEP_RUN ? HatchetAction.Type.CANCEL_STEP
                : HatchetAction.Type.OTHER;
        return new HatchetAction(type, action.getWorkflowRunId(), action.getJobId(), action.getJobRunId(),
                action.getTaskId(), action.getTaskRunExternalId(), action.getActionId(), action.getTaskName(),
                action.getRetryCount(), action.getActionPayload(), action.getAdditionalMetadata(),
                action.getTriggeringEventKey());
    }

    /** Tells the engine the worker is alive. */
    public void heartbeat(String workerId) {
        call("heartbeat", () -> timed(DispatcherGrpc.newBlockingStub(channel)).heartbeat(HeartbeatRequest.newBuilder()
                .setWorkerId(workerId).setHeartbeatAt(timestamp(clock.instant())).build()));
    }

    /** The worker takes no more steps: the engine stops assigning it any. */
    public void unsubscribe(String workerId) {
        call("unsubscribe worker " + workerId, () -> timed(DispatcherGrpc.newBlockingStub(channel))
                .unsubscribe(WorkerUnsubscribeRequest.newBuilder().setWorkerId(workerId).build()));
    }

    /** Reports a step started: one try, never a wait (the engine's timer runs from the assignment anyway). */
    public void reportStarted(HatchetAction action, String workerId) {
        StepActionEvent event = event(action, StepEvent.STARTED, "").setWorkerId(workerId).build();
        call("report " + action.stepName() + " started", () -> timed(DispatcherGrpc.newBlockingStub(channel))
                .sendStepActionEvent(event));
    }

    /**
     * Reports a step's result, retried by the retry policy for up to five minutes (a stopping worker tries
     * four times at most); the worker id is read at each try, as the worker may have registered again.
     * INTERNAL is retried here too: the engine could not queue the event (its database or queue).
     * Throws when the engine refused it or stayed unreachable.
     */
    public void report(HatchetAction action, Supplier<String> workerId, StepEvent type, String payload,
                       boolean shouldNotRetry, BooleanSupplier workerRunning) {
        StepActionEvent.Builder event = event(action, type, payload);
        if (type == StepEvent.FAILED && shouldNotRetry) {
            event.setShouldNotRetry(true);
        }
        long giveUpAt = System.nanoTime() + REPORT_PATIENCE.toNanos();
        AtomicInteger failures = new AtomicInteger();
        Retry retry = retrying("report", code -> code == Status.Code.INTERNAL, () -> {
            int failed = failures.incrementAndGet();
            return System.nanoTime() < giveUpAt
                    && (workerRunning.getAsBoolean() || failed <= REPORT_FAILURES_WHILE_STOPPING);
        });
        call("report " + type + " of " + action.stepName(), retry.decorateSupplier(() ->
                timed(DispatcherGrpc.newBlockingStub(channel)).sendStepActionEvent(event
                        .setWorkerId(workerId.get()).setEventTimestamp(timestamp(clock.instant())).build())));
    }

    /** The size of the message completing the step with this output: the engine refuses one over its limit. */
    int completedReportSize(HatchetAction action, String output) {
        return event(action, StepEvent.COMPLETED, output).build().getSerializedSize();
    }

    /** The event for the assigned attempt, its ids echoed back and its retry count always set. */
    private static StepActionEvent.Builder event(HatchetAction action, StepEvent type, String payload) {
        return StepActionEvent.newBuilder()
                .setJobId(action.jobId())
                .setJobRunId(action.jobRunId())
                .setTaskId(action.stepId())
                .setTaskRunExternalId(action.stepRunId())
                .setActionId(action.actionId())
                .setEventType(type.type)
                .setEventPayload(payload.replace("\u0000", ""))
                .setRetryCount(action.retryCount());
    }

    // ---- the deadline, the retry policy and errors ---------------------------------------------

    /**
     * The retry policy: a call is tried again after a transient failure (or one of the extra codes the
     * caller names) while keepTrying says so, after the backoff's wait.
     */
    private Retry retrying(String name, Predicate<Status.Code> alsoRetried, BooleanSupplier keepTrying) {
        return Retry.of(name, RetryConfig.custom()
                .maxAttempts(Integer.MAX_VALUE)
                .intervalFunction(retryWaits)
                .retryOnException(e -> e instanceof StatusRuntimeException failure
                        && (HatchetException.isTransient(failure.getStatus().getCode())
                        || alsoRetried.test(failure.getStatus().getCode()))
                        && keepTrying.getAsBoolean())
                .build());
    }

    private static <S extends AbstractStub<S>> S timed(S stub) {
        return stub.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a call; an error the engine answered becomes a HatchetException saying what could not be done. */
    private <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw explain(what, e);
        }
    }

    /** An engine error as a sentence for the operator; a rejected token says so plainly. */
    private HatchetException explain(String what, StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        String detail = e.getStatus().getDescription() == null ? code.name() : e.getStatus().getDescription();
        if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
            return new HatchetException("Hatchet at " + target + " rejected HATCHET_CLIENT_TOKEN (" + detail
                    + "): check the token is current and belongs to this engine", e);
        }
        if (code == Status.Code.UNAVAILABLE) {
            return new HatchetException("Hatchet at " + target + " is unreachable while trying to " + what + " ("
                    + detail + rootCause(e) + ")", e);
        }
        return new HatchetException("Hatchet refused to " + what + ": " + code + " " + detail, e);
    }

    /** What lies under gRPC's "io exception": a refused connection, an untrusted certificate… */
    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e || cause.getMessage() == null ? "" : ": " + cause.getMessage();
    }

    /** Compares "v0.78.23"-style versions by major, minor and patch; an unreadable one counts as 0.0.0, as the SDKs do. */
    static int compareVersions(String a, String b) {
        int[] left = versionParts(a);
        int[] right = versionParts(b);
        for (int i = 0; i < 3; i++) {
            if (left[i] != right[i]) {
                return Integer.compare(left[i], right[i]);
            }
        }
        return 0;
    }

    private static int[] versionParts(String version) {
        String[] parts = version.replaceFirst("^v", "").split("-", 2)[0].split("\\.");
        try {
            if (parts.length == 3) {
                return new int[]{Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
            }
        } catch (NumberFormatException e) {
            // unreadable: as 0.0.0 below
        }
        return new int[3];
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
