package ai.kaaj.support;

import ai.kaaj.domain.Json;
import ai.kaaj.hatchet.proto.dispatcher.ActionEventResponse;
import ai.kaaj.hatchet.proto.dispatcher.ActionType;
import ai.kaaj.hatchet.proto.dispatcher.AssignedAction;
import ai.kaaj.hatchet.proto.dispatcher.DispatcherGrpc;
import ai.kaaj.hatchet.proto.dispatcher.GetVersionRequest;
import ai.kaaj.hatchet.proto.dispatcher.GetVersionResponse;
import ai.kaaj.hatchet.proto.dispatcher.HeartbeatRequest;
import ai.kaaj.hatchet.proto.dispatcher.HeartbeatResponse;
import ai.kaaj.hatchet.proto.dispatcher.SDKS;
import ai.kaaj.hatchet.proto.dispatcher.StepActionEvent;
import ai.kaaj.hatchet.proto.dispatcher.StepActionEventType;
import ai.kaaj.hatchet.proto.dispatcher.WorkerListenRequest;
import ai.kaaj.hatchet.proto.dispatcher.WorkerRegisterRequest;
import ai.kaaj.hatchet.proto.dispatcher.WorkerRegisterResponse;
import ai.kaaj.hatchet.proto.dispatcher.WorkerUnsubscribeRequest;
import ai.kaaj.hatchet.proto.dispatcher.WorkerUnsubscribeResponse;
import ai.kaaj.hatchet.proto.events.Event;
import ai.kaaj.hatchet.proto.events.EventsServiceGrpc;
import ai.kaaj.hatchet.proto.events.PushEventRequest;
import ai.kaaj.hatchet.proto.v1.AdminServiceGrpc;
import ai.kaaj.hatchet.proto.v1.Concurrency;
import ai.kaaj.hatchet.proto.v1.ConcurrencyLimitStrategy;
import ai.kaaj.hatchet.proto.v1.CreateTaskOpts;
import ai.kaaj.hatchet.proto.v1.CreateWorkflowVersionRequest;
import ai.kaaj.hatchet.proto.v1.CreateWorkflowVersionResponse;
import ai.kaaj.hatchet.proto.v1.GetRunDetailsRequest;
import ai.kaaj.hatchet.proto.v1.GetRunDetailsResponse;
import ai.kaaj.hatchet.proto.v1.TaskRunDetail;
import ai.kaaj.hatchet.proto.v1.TriggerWorkflowRequest;
import ai.kaaj.hatchet.proto.workflows.TriggerWorkflowResponse;
import ai.kaaj.hatchet.proto.workflows.WorkflowServiceGrpc;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The engine side of Hatchet's gRPC contracts, in process and on loopback, faithful enough to drive
 * full runs: it streams assigned steps to workers with free slots for their actions, walks each run's
 * DAG (a task is assignable once its parents completed; its payload carries their outputs), applies
 * timeouts (cancelling the attempt) and retries, runs the on-failure task with the errors, and accepts
 * events and triggers. It can drop every stream, forget its workers, or restart on the same port, on
 * command. Retry backoff is shortened to 100 ms · 2^attempt so tests stay quick.
 *
 * <p>It refuses what the real engine refuses, with the same status codes: each rule below names the
 * file of hatchet-dev/hatchet (read at 89d130f3, v0.104.7) it comes from, so a bridge that passes here
 * passes there. {@link #legacyEngine()} is an engine from before v0.74.9: no GetVersion, no slot_config,
 * no GetRunDetails.
 */
public final class TestHatchet implements AutoCloseable {

    public static final String TENANT = "707d0855-80ab-4e1f-a156-f1c4546cbf52";
    /** The version the engine this copies answers GetVersion with (git describe of 89d130f3). */
    public static final String VERSION = "v0.104.7";
    // pkg/validator/validator.go: hatchetName, and the duration grammar (then time.ParseDuration for overflow)
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9.\\-_]+$");
    private static final Pattern DURATION = Pattern.compile("^(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ms|s|m|h))+$");
    // pkg/config/server/server.go: SERVER_GRPC_MAX_MSG_SIZE defaults to 4 MiB, both ways (internal/services/grpc/server.go)
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    private static final Duration HEARTBEAT_WINDOW = Duration.ofSeconds(6);
    private static final String INTERNAL_ERROR = "An internal error occurred.";

    /** A task attempt's life, as the tests read it. */
    public enum TaskStatus { PENDING, QUEUED, ASSIGNED, RUNNING, COMPLETED, FAILED, CANCELLED }

    public enum RunStatus { RUNNING, COMPLETED, FAILED, CANCELLED }

    public static final class Task {
        public final String externalId = UUID.randomUUID().toString();
        public final String taskId = UUID.randomUUID().toString();
        public final CreateTaskOpts definition;
        public volatile TaskStatus status = TaskStatus.PENDING;
        public volatile int retryCount;
        public volatile String output;
        public volatile String error;
        public volatile String workerId;
        public volatile int assignments;
        public volatile int completions;
        volatile long deadlineNanos;
        volatile long notBeforeNanos;
        volatile long assignedNanos;

        Task(CreateTaskOpts definition) {
            this.definition = definition;
        }

        public String name() {
            return definition.getReadableId();
        }
    }

    public static final class Run {
        public final String id = UUID.randomUUID().toString();
        public final String workflow;
        public final String input;
        public final String metadata;
        public final String eventKey;
        public final Map<String, Task> tasks = new LinkedHashMap<>();
        public final Task onFailure;
        public volatile RunStatus status = RunStatus.RUNNING;

        Run(CreateWorkflowVersionRequest definition, String input, String metadata, String eventKey) {
            this.workflow = definition.getName();
            this.input = input;
            this.metadata = metadata;
            this.eventKey = eventKey;
            definition.getTasksList().forEach(task -> tasks.put(task.getReadableId(), new Task(task)));
            onFailure = definition.hasOnFailureTask() ? new Task(definition.getOnFailureTask()) : null;
        }
    }

    public static final class Worker {
        public final String id = UUID.randomUUID().toString();
        public final WorkerRegisterRequest registration;
        /** How many steps the engine gives this worker at once. */
        public final int slots;
        volatile ServerCallStreamObserver<AssignedAction> stream;
        /** A ListenV2 was seen (the engine's last_listener_established): no stream now means a lost one. */
        volatile boolean listenerSeen;
        volatile long lastHeartbeatNanos = System.nanoTime();
        public volatile int heartbeats;

        Worker(WorkerRegisterRequest registration, int slots) {
            this.registration = registration;
            this.slots = slots;
        }
    }

    private final String token;
    private final int port;
    private final ServerCredentials credentials;
    /** What GetVersion answers; null for an engine from before GetVersion (and slot_config). */
    private final String version;
    private volatile int workerLimit = Integer.MAX_VALUE;
    private final java.util.concurrent.atomic.AtomicInteger runDetailsAsked = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<String, CreateWorkflowVersionRequest> workflows = new LinkedHashMap<>();
    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private final List<Run> runs = new CopyOnWriteArrayList<>();
    private final Map<String, Run> runByTask = new java.util.HashMap<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    /** Nanoseconds from sending START_STEP_RUN to receiving COMPLETED, per completed attempt. */
    private final List<Long> dispatchNanos = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    /** Calls the engine took past its token check, by bare method name ("SendStepActionEvent"). */
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** Failures a test asked for, by bare method name: each answers one call in place of the engine. */
    private final Map<String, Queue<Status.Code>> failures = new ConcurrentHashMap<>();
    private Server server;

    public TestHatchet() throws IOException {
        this(null, null);
    }

    /** An engine serving TLS with this certificate chain and PKCS#8 key (PEM files), or plaintext when null. */
    public TestHatchet(Path certificateChain, Path privateKey) throws IOException {
        this(certificateChain, privateKey, VERSION);
    }

    /**
     * An engine from before v0.74.9: GetVersion and GetRunDetails answer UNIMPLEMENTED, and Register
     * knows only the legacy slots field (slot_config is a field it does not know: ignored, 100 slots).
     */
    public static TestHatchet legacyEngine() throws IOException {
        return new TestHatchet(null, null, null);
    }

    private TestHatchet(Path certificateChain, Path privateKey, String version) throws IOException {
        this.version = version;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        credentials = certificateChain == null ? InsecureServerCredentials.create()
                : TlsServerCredentials.create(certificateChain.toFile(), privateKey.toFile());
        token = jwt(TENANT, "127.0.0.1:" + port, System.currentTimeMillis() / 1000 + 3600);
        server = startServer();
        ticker.scheduleWithFixedDelay(this::tick, 10, 10, TimeUnit.MILLISECONDS);
    }

    /** A Hatchet-shaped API token (unsigned; clients never check the signature). */
    public static String jwt(String tenant, String grpcAddress, long expiresEpochSecond) {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        String header = encoder.encodeToString("{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        ObjectNode claims = Json.MAPPER.createObjectNode();
        claims.put("sub", tenant);
        claims.put("grpc_broadcast_address", grpcAddress);
        claims.put("server_url", "http://" + grpcAddress);
        claims.put("token_id", UUID.randomUUID().toString());
        claims.put("iat", System.currentTimeMillis() / 1000);
        claims.put("exp", expiresEpochSecond);
        return header + "." + encoder.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    public String token() {
        return token;
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** The settings a service needs to use this engine. */
    public Map<String, String> clientSettings() {
        return Map.of("hatchet.client.token", token, "hatchet.client.tls.strategy", "none");
    }

    private Server startServer() throws IOException {
        ServerInterceptor auth = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                String authorization = headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER));
                if (authorization == null || !authorization.regionMatches(true, 0, "bearer ", 0, 7)
                        || !authorization.substring(7).equals(token)) {
                    call.close(Status.UNAUTHENTICATED.withDescription("invalid auth token"), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                String method = call.getMethodDescriptor().getBareMethodName();
                calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
                Queue<Status.Code> asked = failures.get(method);
                Status.Code failure = asked == null ? null : asked.poll();
                if (failure != null) {
                    call.close(Status.fromCode(failure).withDescription("failure asked for by the test"), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                return next.startCall(call, headers);
            }
        };
        // internal/services/grpc/server.go: clients may ping every 5 s, with or without calls in flight; a
        // message over the limit is refused with RESOURCE_EXHAUSTED before any handler sees it
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port), credentials)
                .permitKeepAliveTime(5, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(ServerInterceptors.intercept(new Dispatcher(), auth))
                .addService(ServerInterceptors.intercept(new Events(), auth))
                .addService(ServerInterceptors.intercept(new WorkflowTriggers(), auth))
                .addService(ServerInterceptors.intercept(new Admin(), auth))
                .build().start();
    }

    // ---- what tests look at and do ------------------------------------------------------------

    /** The next calls of this method (its bare name, "SendStepActionEvent") fail with these codes, one each. */
    public void failNext(String method, Status.Code... codes) {
        failures.computeIfAbsent(method, m -> new ConcurrentLinkedQueue<>())
                .addAll(List.of(codes));
    }

    /** How many calls of this method the engine was sent with a valid token, failed or not. */
    public int calls(String method) {
        AtomicInteger count = calls.get(method);
        return count == null ? 0 : count.get();
    }

    public synchronized Map<String, CreateWorkflowVersionRequest> workflows() {
        return Map.copyOf(workflows);
    }

    public synchronized List<Worker> workers() {
        return List.copyOf(workers.values());
    }

    public List<Run> runs() {
        return List.copyOf(runs);
    }

    /** Step events in arrival order, as "task:TYPE:retry". */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** How many times GetRunDetails was called, answered or not. */
    public int runDetailsAsked() {
        return runDetailsAsked.get();
    }

    public List<Long> dispatchNanos() {
        return List.copyOf(dispatchNanos);
    }

    public Run awaitRun(Predicate<Run> condition, Duration timeout) {
        AtomicReference<Run> matched = new AtomicReference<>();
        Awaitility.await("a run matching").atMost(timeout).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                matched.set(runs.stream().filter(condition).findFirst()
                        .orElseThrow(() -> new AssertionError("no run matched; runs: " + describeRuns()))));
        return matched.get();
    }

    public synchronized String describeRuns() {
        StringBuilder text = new StringBuilder();
        for (Run run : runs) {
            text.append("\n  ").append(run.workflow).append(' ').append(run.id).append(' ').append(run.status);
            run.tasks.values().forEach(task -> text.append(" ").append(task.name()).append('=').append(task.status)
                    .append('#').append(task.retryCount));
        }
        return text.toString();
    }

    /** Starts a run as TriggerWorkflow would. */
    public Run trigger(String workflow, String input) {
        return trigger(workflow, input, "{}");
    }

    public synchronized Run trigger(String workflow, String input, String metadata) {
        CreateWorkflowVersionRequest definition = workflows.get(workflow);
        if (definition == null) {
            throw new IllegalArgumentException("no workflow " + workflow);
        }
        Run run = new Run(definition, input, metadata, null);
        addRun(run);
        return run;
    }

    /**
     * The tenant's worker limit (pkg/repository/worker.go meters WORKER on CreateNewWorker): Register
     * past it answers RESOURCE_EXHAUSTED (internal/services/dispatcher/server.go).
     */
    public void limitWorkers(int max) {
        workerLimit = max;
    }

    /** Ends every worker's stream with UNAVAILABLE, as a network blip does. */
    public synchronized void dropStreams() {
        for (Worker worker : workers.values()) {
            ServerCallStreamObserver<AssignedAction> stream = worker.stream;
            worker.stream = null;
            if (stream != null) {
                stream.onError(Status.UNAVAILABLE.withDescription("stream dropped by the test").asRuntimeException());
            }
        }
    }

    /** Forgets every worker (as after the engine's retention job): they must register again. */
    public synchronized void forgetWorkers() {
        dropStreams();
        workers.clear();
    }

    /** Stops serving for a while, keeping runs and workers, then serves again on the same port. */
    public void restart(Duration down) throws IOException, InterruptedException {
        stopServing();
        Thread.sleep(down.toMillis());
        serveAgain();
    }

    /** Stops serving (as an engine that went down), keeping runs and workers. */
    public void stopServing() throws InterruptedException {
        Server stopping;
        synchronized (this) {
            workers.values().forEach(worker -> worker.stream = null);
            stopping = server;
            stopping.shutdownNow();
        }
        stopping.awaitTermination(5, TimeUnit.SECONDS);
    }

    public synchronized void serveAgain() throws IOException {
        server = startServer();
    }

    /** Cancels a run: its running attempts get CANCEL_STEP_RUN. */
    public synchronized void cancel(Run run) {
        run.status = RunStatus.CANCELLED;
        for (Task task : run.tasks.values()) {
            if (task.status == TaskStatus.ASSIGNED || task.status == TaskStatus.RUNNING) {
                sendCancel(task, run);
            }
            if (task.status != TaskStatus.COMPLETED) {
                task.status = TaskStatus.CANCELLED;
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        server.shutdownNow();
    }

    // ---- scheduling -----------------------------------------------------------------------------

    private synchronized void tick() {
        try {
            long now = System.nanoTime();
            Map<String, Integer> busy = new java.util.HashMap<>();
            List<Run> active = runs.stream().filter(TestHatchet::isActive).toList();
            for (Run run : active) {
                for (Task task : tasksOf(run)) {
                    if (task.status == TaskStatus.ASSIGNED || task.status == TaskStatus.RUNNING) {
                        if (now > task.deadlineNanos) {
                            sendCancel(task, run);
                            events.add(task.name() + ":TIMED_OUT:" + task.retryCount);
                            failAttempt(run, task, "task timed out after " + task.definition.getTimeout(), false);
                        } else {
                            busy.merge(task.workerId, 1, Integer::sum);
                        }
                    }
                }
            }
            for (Run run : active) {
                if (run.status == RunStatus.RUNNING) {
                    for (Task task : run.tasks.values()) {
                        if (task.status == TaskStatus.PENDING && task.definition.getParentsList().stream()
                                .allMatch(parent -> run.tasks.get(parent).status == TaskStatus.COMPLETED)) {
                            task.status = TaskStatus.QUEUED;
                        }
                    }
                }
                for (Task task : tasksOf(run)) {
                    if (task.status == TaskStatus.QUEUED && now >= task.notBeforeNanos) {
                        assign(run, task, busy);
                    }
                }
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
    }

    /** A run with work left: running, or failed with its on-failure task still to do. */
    private static boolean isActive(Run run) {
        return run.status == RunStatus.RUNNING || run.status == RunStatus.FAILED && run.onFailure != null
                && run.onFailure.status != TaskStatus.COMPLETED && run.onFailure.status != TaskStatus.FAILED;
    }

    private static List<Task> tasksOf(Run run) {
        List<Task> all = new ArrayList<>(run.tasks.values());
        if (run.onFailure != null) {
            all.add(run.onFailure);
        }
        return all;
    }

    private void assign(Run run, Task task, Map<String, Integer> busy) {
        long now = System.nanoTime();
        for (Worker worker : workers.values()) {
            ServerCallStreamObserver<AssignedAction> stream = worker.stream;
            if (stream == null || now - worker.lastHeartbeatNanos > HEARTBEAT_WINDOW.toNanos()
                    || !worker.registration.getActionsList().contains(task.definition.getAction())
                    || busy.getOrDefault(worker.id, 0) >= worker.slots) {
                continue;
            }
            busy.merge(worker.id, 1, Integer::sum);
            task.status = TaskStatus.ASSIGNED;
            task.workerId = worker.id;
            task.assignments++;
            task.assignedNanos = now;
            task.deadlineNanos = now + parse(task.definition.getTimeout().isEmpty() ? "60s"
                    : task.definition.getTimeout()).toNanos();
            stream.onNext(action(run, task, ActionType.START_STEP_RUN));
            return;
        }
    }

    private AssignedAction action(Run run, Task task, ActionType type) {
        AssignedAction.Builder action = AssignedAction.newBuilder()
                .setTenantId(TENANT)
                .setWorkflowRunId(run.id)
                .setJobId(task.taskId)
                .setJobName(task.name())
                .setJobRunId(task.externalId)
                .setTaskId(task.taskId)
                .setTaskRunExternalId(task.externalId)
                .setActionId(task.definition.getAction())
                .setActionType(type)
                .setTaskName(task.name())
                .setRetryCount(task.retryCount)
                .setAdditionalMetadata(run.metadata)
                .setPriority(1);
        if (run.eventKey != null) {
            action.setTriggeringEventKey(run.eventKey);
        }
        if (type == ActionType.START_STEP_RUN) {
            ObjectNode payload = Json.MAPPER.createObjectNode();
            payload.set("input", readObject(run.input));
            payload.put("triggered_by", "manual");
            ObjectNode parents = payload.putObject("parents");
            // internal/services/dispatcher/dispatcher.go: a parent's output goes in only if it reads as an
            // object (JSON null reads as one, empty output as {}); any other JSON value is left out
            for (String parent : task.definition.getParentsList()) {
                JsonNode output = readJson(run.tasks.get(parent).output);
                if (output == null || output.isObject() || output.isNull()) {
                    parents.set(parent, output == null ? Json.MAPPER.createObjectNode() : output);
                }
            }
            payload.putObject("triggers").putNull("filter_payload");
            payload.putNull("user_data");
            payload.putNull("overrides");
            if (task == run.onFailure) {
                ObjectNode errors = payload.putObject("step_run_errors");
                run.tasks.values().stream().filter(t -> t.error != null && t.status == TaskStatus.FAILED)
                        .forEach(t -> errors.put(t.name(), t.error));
            }
            action.setActionPayload(payload.toString());
        }
        return action.build();
    }

    private void sendCancel(Task task, Run run) {
        Worker worker = workers.get(task.workerId);
        if (worker != null && worker.stream != null) {
            worker.stream.onNext(action(run, task, ActionType.CANCEL_STEP_RUN));
        }
    }

    /** An attempt failed: retry it if it may be, else fail the run and queue its on-failure task. */
    private void failAttempt(Run run, Task task, String error, boolean shouldNotRetry) {
        task.error = error;
        task.workerId = null;
        if (task == run.onFailure) {
            task.status = TaskStatus.FAILED;
            return;
        }
        if (!shouldNotRetry && task.retryCount < task.definition.getRetries() && run.status == RunStatus.RUNNING) {
            task.retryCount++;
            task.status = TaskStatus.QUEUED;
            task.notBeforeNanos = System.nanoTime() + Duration.ofMillis(100L << Math.min(task.retryCount, 6)).toNanos();
            return;
        }
        task.status = TaskStatus.FAILED;
        if (run.status == RunStatus.RUNNING) {
            run.status = RunStatus.FAILED;
            if (run.onFailure != null) {
                run.onFailure.status = TaskStatus.QUEUED;
            }
        }
    }

    private synchronized void addRun(Run run) {
        runs.add(run);
        tasksOf(run).forEach(task -> runByTask.put(task.externalId, run));
        tick();
    }

    /** Whether the event's task is known; the event is applied as the engine applies it. */
    private synchronized boolean stepEvent(StepActionEvent event) {
        Run run = runByTask.get(event.getTaskRunExternalId());
        if (run == null) {
            return false;
        }
        Task task = tasksOf(run).stream().filter(t -> t.externalId.equals(event.getTaskRunExternalId()))
                .findFirst().orElseThrow();
        StepActionEventType type = event.getEventType();
        String payload = event.getEventPayload();
        // internal/services/dispatcher/server.go (sendStepActionEventV1): a completed output must be valid JSON
        // without NUL characters (pkg/repository/jsonb.go), else the attempt fails with the reason; a failure's
        // text with NUL is replaced; a report without retry_count is for the current attempt
        if (type == StepActionEventType.STEP_EVENT_TYPE_COMPLETED && !payload.isEmpty()) {
            JsonNode output = readJson(payload);
            String invalid = hasNul(output) ? "encoded jsonb contains invalid null character \\u0000 in field `taskOutput`"
                    : output == null ? "invalid json in field `taskOutput`" : null;
            if (invalid != null) {
                type = StepActionEventType.STEP_EVENT_TYPE_FAILED;
                payload = invalid;
            }
        }
        if (type == StepActionEventType.STEP_EVENT_TYPE_FAILED && hasNul(readJson(payload))) {
            payload = "error message contains invalid null character \\u0000. you likely need to either escape the "
                    + "character or strip it out of the error. this generally is the result of an LLM producing this "
                    + "unicode sequence in its output.";
        }
        int retryCount = event.hasRetryCount() ? event.getRetryCount() : task.retryCount;
        events.add(task.name() + ":" + type.name().replace("STEP_EVENT_TYPE_", "") + ":" + retryCount);
        boolean current = retryCount == task.retryCount
                && (task.status == TaskStatus.ASSIGNED || task.status == TaskStatus.RUNNING);
        if (!current) {
            return true; // a stale attempt's report: the engine ignores it too
        }
        switch (type) {
            case STEP_EVENT_TYPE_STARTED -> task.status = TaskStatus.RUNNING;
            case STEP_EVENT_TYPE_COMPLETED -> {
                dispatchNanos.add(System.nanoTime() - task.assignedNanos);
                task.output = event.getEventPayload();
                task.status = TaskStatus.COMPLETED;
                task.completions++;
                task.workerId = null;
                if (task != run.onFailure && run.tasks.values().stream()
                        .allMatch(t -> t.status == TaskStatus.COMPLETED)) {
                    run.status = RunStatus.COMPLETED;
                }
            }
            case STEP_EVENT_TYPE_FAILED -> failAttempt(run, task, payload,
                    event.hasShouldNotRetry() && event.getShouldNotRetry());
            default -> {
            }
        }
        // a finished attempt frees a slot and may ready the next task: assign at once, as the engine does
        tick();
        return true;
    }

    /** Any JSON value (Go's json.Valid takes scalars and arrays too), or null when the text is not JSON. */
    private static JsonNode readJson(String json) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        try {
            return Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean hasNul(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (node.isTextual()) {
            return node.textValue().indexOf('\u0000') >= 0;
        }
        for (var fields = node.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (field.getKey().indexOf('\u0000') >= 0 || hasNul(field.getValue())) {
                return true;
            }
        }
        for (JsonNode element : node) {
            if (node.isArray() && hasNul(element)) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode readObject(String json) {
        if (json == null || json.isEmpty()) {
            return Json.MAPPER.createObjectNode();
        }
        return readJson(json) instanceof ObjectNode object ? object : null;
    }

    static Duration parse(String duration) {
        var matcher = Pattern.compile("([0-9.]+)(ms|s|m|h)").matcher(duration);
        double millis = 0;
        while (matcher.find()) {
            double value = Double.parseDouble(matcher.group(1));
            millis += switch (matcher.group(2)) {
                case "ms" -> value;
                case "s" -> value * 1000;
                case "m" -> value * 60_000;
                default -> value * 3_600_000;
            };
        }
        return Duration.ofMillis((long) millis);
    }

    // ---- the services ---------------------------------------------------------------------------

    private final class Admin extends AdminServiceGrpc.AdminServiceImplBase {
        @Override
        public void putWorkflow(CreateWorkflowVersionRequest request,
                                StreamObserver<CreateWorkflowVersionResponse> response) {
            Status refused = checkWorkflow(request);
            if (refused != null) {
                response.onError(refused.asRuntimeException());
                return;
            }
            synchronized (TestHatchet.this) {
                workflows.put(request.getName(), request);
            }
            response.onNext(CreateWorkflowVersionResponse.newBuilder().setId(UUID.randomUUID().toString())
                    .setWorkflowId(UUID.nameUUIDFromBytes(request.getName().getBytes(StandardCharsets.UTF_8)).toString())
                    .build());
            response.onCompleted();
        }

        @Override
        public void getRunDetails(GetRunDetailsRequest request, StreamObserver<GetRunDetailsResponse> response) {
            runDetailsAsked.incrementAndGet();
            if (version == null) {
                super.getRunDetails(request, response); // UNIMPLEMENTED: the RPC came in v0.74.9
                return;
            }
            GetRunDetailsResponse.Builder details = GetRunDetailsResponse.newBuilder();
            synchronized (TestHatchet.this) {
                Run run = runs.stream().filter(r -> r.id.equals(request.getExternalId())).findFirst().orElse(null);
                if (run == null) {
                    response.onError(Status.NOT_FOUND.withDescription("run not found").asRuntimeException());
                    return;
                }
                details.setInput(ByteString.copyFromUtf8(run.input))
                        .setStatus(switch (run.status) {
                            case RUNNING -> ai.kaaj.hatchet.proto.v1.RunStatus.RUNNING;
                            case COMPLETED -> ai.kaaj.hatchet.proto.v1.RunStatus.COMPLETED;
                            case FAILED -> ai.kaaj.hatchet.proto.v1.RunStatus.FAILED;
                            case CANCELLED -> ai.kaaj.hatchet.proto.v1.RunStatus.CANCELLED;
                        })
                        .setDone(run.status != RunStatus.RUNNING)
                        .setAdditionalMetadata(ByteString.copyFromUtf8(run.metadata));
                // keyed by the task's readable id, as the engine does
                run.tasks.values().forEach(task -> details.putTaskRuns(task.name(), TaskRunDetail.newBuilder()
                        .setExternalId(task.externalId).setReadableId(task.name()).build()));
            }
            response.onNext(details.build());
            response.onCompleted();
        }
    }

    /**
     * PutWorkflow's checks, in the engine's order: getCreateWorkflowOpts and getCreateTaskOpts of
     * internal/services/admin/v1/server.go (their plain errors reach the client as INTERNAL through
     * internal/services/grpc/middleware/error.go), then the validate tags of CreateWorkflowVersionOpts and
     * CreateStepOpts in pkg/repository/workflow.go (INVALID_ARGUMENT), then its cycle check (INTERNAL).
     */
    static Status checkWorkflow(CreateWorkflowVersionRequest request) {
        Status tasks = checkTasks(request.getTasksList(), false);
        if (tasks != null) {
            return tasks;
        }
        if (request.hasOnFailureTask()) {
            // checked alone: a parent named on it is not found, and that error is not mapped (INTERNAL)
            Status onFailure = checkTasks(List.of(request.getOnFailureTask()), true);
            if (onFailure != null) {
                return onFailure;
            }
        }
        List<Concurrency> concurrency = new ArrayList<>(request.getConcurrencyArrList());
        if (request.hasConcurrency()) {
            concurrency.add(0, request.getConcurrency());
        }
        Status concurrencyProblem = checkConcurrency(concurrency, "");
        if (concurrencyProblem != null) {
            return concurrencyProblem;
        }
        // pkg/repository/workflow.go: Name required,hatchetName; Tasks required,min=1; DefaultPriority 1..3
        if (!NAME.matcher(request.getName()).matches()) {
            return invalid("name: invalid workflow name " + request.getName());
        }
        if (request.getTasksCount() == 0) {
            return invalid("tasks: a workflow needs at least one task");
        }
        if (request.hasDefaultPriority() && (request.getDefaultPriority() < 1 || request.getDefaultPriority() > 3)) {
            return invalid("defaultPriority: must be 1, 2 or 3");
        }
        List<CreateTaskOpts> all = new ArrayList<>(request.getTasksList());
        if (request.hasOnFailureTask()) {
            all.add(request.getOnFailureTask());
        }
        for (CreateTaskOpts task : all) {
            Status problem = checkTaskFields(task);
            if (problem != null) {
                return problem;
            }
        }
        // event triggers are stored as given (no validate tag); they are matched as SQL LIKE patterns (push)
        if (hasCycle(request.getTasksList())) {
            return Status.INTERNAL.withDescription(INTERNAL_ERROR); // JobRunHasCycleError, a plain error
        }
        return null;
    }

    /** getCreateTaskOpts: required fields and action ids (plain errors: INTERNAL), then parents must exist. */
    private static Status checkTasks(List<CreateTaskOpts> tasks, boolean onFailure) {
        Set<String> readableIds = new HashSet<>();
        for (CreateTaskOpts task : tasks) {
            if (task.getAction().isEmpty() || task.getReadableId().isEmpty() || !isActionId(task.getAction())) {
                return Status.INTERNAL.withDescription(INTERNAL_ERROR);
            }
            readableIds.add(task.getReadableId());
            Status concurrency = checkConcurrency(task.getConcurrencyList(), " (step " + task.getReadableId() + ")");
            if (concurrency != null) {
                return concurrency;
            }
        }
        for (CreateTaskOpts task : tasks) {
            for (String parent : task.getParentsList()) {
                if (!readableIds.contains(parent)) {
                    String message = "dag parent not found: parent step '" + parent + "' not found for step '"
                            + task.getReadableId() + "'";
                    return onFailure ? Status.INTERNAL.withDescription(INTERNAL_ERROR)
                            : Status.INVALID_ARGUMENT.withDescription(message);
                }
            }
        }
        return null;
    }

    /**
     * getCreateWorkflowOpts / getCreateTaskOpts: a concurrency needs its CEL expression; CreateConcurrencyOpts
     * takes only three limit strategies (the proto's deprecated DROP_NEWEST and QUEUE_NEWEST are refused).
     * The expression's CEL syntax is not checked here.
     */
    private static Status checkConcurrency(List<Concurrency> concurrency, String where) {
        for (Concurrency c : concurrency) {
            if (c.getExpression().isEmpty()) {
                return invalid("CEL expression is required for concurrency" + where);
            }
            if (c.hasLimitStrategy() && c.getLimitStrategy() != ConcurrencyLimitStrategy.CANCEL_IN_PROGRESS
                    && c.getLimitStrategy() != ConcurrencyLimitStrategy.GROUP_ROUND_ROBIN
                    && c.getLimitStrategy() != ConcurrencyLimitStrategy.CANCEL_NEWEST) {
                return invalid("limitStrategy: " + c.getLimitStrategy() + " is not one of CANCEL_IN_PROGRESS "
                        + "GROUP_ROUND_ROBIN CANCEL_NEWEST");
            }
        }
        return null;
    }

    /** The validate tags of CreateStepOpts (pkg/repository/workflow.go), as the engine fills it from the proto. */
    private static Status checkTaskFields(CreateTaskOpts task) {
        String id = task.getReadableId();
        if (!NAME.matcher(id).matches()) {
            return invalid("readableId: invalid readable id " + id);
        }
        // an empty timeout is left unset; a schedule timeout sent at all must be a duration
        if (!task.getTimeout().isEmpty() && !isDuration(task.getTimeout())) {
            return invalid("timeout: " + task.getTimeout() + " of " + id + " is not a duration such as 30s, 5m or 1h");
        }
        if (task.hasScheduleTimeout() && !isDuration(task.getScheduleTimeout())) {
            return invalid("scheduleTimeout: " + task.getScheduleTimeout() + " of " + id + " is not a duration");
        }
        if (task.getParentsList().stream().anyMatch(parent -> !NAME.matcher(parent).matches())) {
            return invalid("parents: invalid parent name of " + id);
        }
        if (task.getRetries() < 0) {
            return invalid("retries: must be at least 0 (" + id + ")");
        }
        // the maximum is read only with a factor; without one the engine ignores it
        if (task.hasBackoffFactor()) {
            if (task.getBackoffFactor() < 1 || task.getBackoffFactor() > 1000) {
                return invalid("retryBackoffFactor: must be 1 to 1000 (" + id + ")");
            }
            if (task.hasBackoffMaxSeconds() && (task.getBackoffMaxSeconds() < 1 || task.getBackoffMaxSeconds() > 86400)) {
                return invalid("retryBackoffMaxSeconds: must be 1 to 86400 (" + id + ")");
            }
        }
        for (Map.Entry<String, Integer> request : task.getSlotRequestsMap().entrySet()) {
            if (request.getKey().isEmpty() || request.getValue() <= 0) {
                return invalid("slotRequests: slot types need a name and a positive number of units (" + id + ")");
            }
        }
        return null;
    }

    private static Status invalid(String description) {
        return Status.INVALID_ARGUMENT.withDescription(description);
    }

    /** pkg/client/types/action.go ParseActionID: 2 or 3 parts separated by ':', service and verb not empty. */
    private static boolean isActionId(String action) {
        String[] parts = action.split(":", -1);
        return parts.length >= 2 && parts.length <= 3 && !parts[0].isEmpty() && !parts[1].isEmpty();
    }

    /** The duration grammar, and Go's time.ParseDuration, which refuses more than about 292 years. */
    static boolean isDuration(String text) {
        return DURATION.matcher(text).matches() && parse(text).compareTo(Duration.ofNanos(Long.MAX_VALUE)) <= 0;
    }

    private static boolean hasCycle(List<CreateTaskOpts> tasks) {
        Map<String, List<String>> parents = new java.util.HashMap<>();
        tasks.forEach(task -> parents.put(task.getReadableId(), task.getParentsList()));
        Set<String> done = new HashSet<>();
        for (String task : parents.keySet()) {
            if (reachesItself(task, parents, new HashSet<>(), done)) {
                return true;
            }
        }
        return false;
    }

    private static boolean reachesItself(String task, Map<String, List<String>> parents, Set<String> path,
                                         Set<String> done) {
        if (done.contains(task)) {
            return false;
        }
        if (!path.add(task)) {
            return true;
        }
        for (String parent : parents.getOrDefault(task, List.of())) {
            if (reachesItself(parent, parents, path, done)) {
                return true;
            }
        }
        path.remove(task);
        done.add(task);
        return false;
    }

    /**
     * Register's checks, in the engine's order (internal/services/dispatcher/server.go Register, then
     * pkg/repository/worker.go CreateNewWorker); the worker's slots as the engine counts them.
     */
    private Status checkRegistration(WorkerRegisterRequest request) {
        if (version != null && request.hasSlots() && request.getSlotConfigCount() > 0) {
            return Status.INVALID_ARGUMENT.withDescription(
                    "either slot_config or slots (deprecated) must be provided, not both");
        }
        // CreateWorkerOpts: Name required,hatchetName; Services dive,hatchetName; Actions dive,actionId
        if (!NAME.matcher(request.getWorkerName()).matches()) {
            return invalid("Invalid request: name: invalid worker name " + request.getWorkerName());
        }
        if (request.getServicesList().stream().anyMatch(service -> !NAME.matcher(service).matches())) {
            return invalid("Invalid request: services: invalid service name");
        }
        if (request.getActionsList().stream().anyMatch(action -> !isActionId(action))) {
            return invalid("Invalid request: actions: invalid action id");
        }
        if (workers().size() >= workerLimit) {
            return Status.RESOURCE_EXHAUSTED.withDescription(
                    "resource exhausted: tenant worker limit or concurrency limit exceeded");
        }
        // CreateNewWorker takes only its SDKs' languages; anything else ("invalid sdk") is a plain error: INTERNAL
        if (request.hasRuntimeInfo() && request.getRuntimeInfo().hasLanguage()) {
            SDKS language = request.getRuntimeInfo().getLanguage();
            if (language != SDKS.GO && language != SDKS.PYTHON && language != SDKS.TYPESCRIPT
                    && language != SDKS.RUBY) {
                return Status.INTERNAL.withDescription(INTERNAL_ERROR);
            }
        }
        return null;
    }

    /** server.go: slot_config's default units, else the legacy slots, else 100; engines before slot_config ignore it. */
    private int slotsOf(WorkerRegisterRequest request) {
        if (request.hasSlots()) {
            return request.getSlots();
        }
        if (version != null && request.getSlotConfigCount() > 0) {
            return request.getSlotConfigOrDefault("default", 0);
        }
        return 100;
    }

    private static boolean isUuid(String id) {
        try {
            UUID.fromString(id);
            return id.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** internal/services/dispatcher/server.go: Register, ListenV2, Heartbeat, SendStepActionEvent, Unsubscribe, GetVersion. */
    private final class Dispatcher extends DispatcherGrpc.DispatcherImplBase {
        @Override
        public void register(WorkerRegisterRequest request, StreamObserver<WorkerRegisterResponse> response) {
            Worker worker;
            synchronized (TestHatchet.this) {
                Status refused = checkRegistration(request);
                if (refused != null) {
                    response.onError(refused.asRuntimeException());
                    return;
                }
                worker = new Worker(request, slotsOf(request));
                workers.put(worker.id, worker);
            }
            response.onNext(WorkerRegisterResponse.newBuilder().setTenantId(TENANT).setWorkerId(worker.id)
                    .setWorkerName(request.getWorkerName()).build());
            response.onCompleted();
        }

        @Override
        public void getVersion(GetVersionRequest request, StreamObserver<GetVersionResponse> response) {
            if (version == null) {
                super.getVersion(request, response); // UNIMPLEMENTED, as engines before it answer
                return;
            }
            response.onNext(GetVersionResponse.newBuilder().setVersion(version).build());
            response.onCompleted();
        }

        @Override
        public void listenV2(WorkerListenRequest request, StreamObserver<AssignedAction> response) {
            if (!isUuid(request.getWorkerId())) {
                response.onError(Status.INVALID_ARGUMENT.withDescription("invalid worker ID format: "
                        + request.getWorkerId()).asRuntimeException());
                return;
            }
            synchronized (TestHatchet.this) {
                Worker worker = workers.get(request.getWorkerId());
                if (worker == null) {
                    // pgx.ErrNoRows, mapped by internal/services/grpc/middleware/error.go
                    response.onError(Status.NOT_FOUND.withDescription("not found").asRuntimeException());
                    return;
                }
                ServerCallStreamObserver<AssignedAction> stream = (ServerCallStreamObserver<AssignedAction>) response;
                stream.setOnCancelHandler(() -> {
                    synchronized (TestHatchet.this) {
                        if (worker.stream == stream) {
                            worker.stream = null;
                        }
                    }
                });
                worker.stream = stream;
                worker.listenerSeen = true;
                worker.lastHeartbeatNanos = System.nanoTime();
            }
        }

        /**
         * A heartbeat is taken before the first ListenV2 (the worker has no listener yet); it is refused
         * with FAILED_PRECONDITION only once a listener was established and is no longer active.
         */
        @Override
        public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
            if (!isUuid(request.getWorkerId())) {
                response.onError(Status.INVALID_ARGUMENT.withDescription("invalid worker ID format: "
                        + request.getWorkerId()).asRuntimeException());
                return;
            }
            synchronized (TestHatchet.this) {
                Worker worker = workers.get(request.getWorkerId());
                if (worker == null) {
                    response.onError(Status.NOT_FOUND.withDescription("worker not found: " + request.getWorkerId())
                            .asRuntimeException());
                    return;
                }
                if (worker.listenerSeen && worker.stream == null) {
                    response.onError(Status.FAILED_PRECONDITION.withDescription(
                            "Heartbeat rejected: worker stream is not active: " + worker.id).asRuntimeException());
                    return;
                }
                worker.heartbeats++;
                worker.lastHeartbeatNanos = System.nanoTime();
            }
            response.onNext(HeartbeatResponse.getDefaultInstance());
            response.onCompleted();
        }

        @Override
        public void sendStepActionEvent(StepActionEvent request, StreamObserver<ActionEventResponse> response) {
            if (!isUuid(request.getTaskRunExternalId()) || !stepEvent(request)) {
                response.onError(Status.INVALID_ARGUMENT.withDescription("invalid task external run id "
                        + request.getTaskRunExternalId()).asRuntimeException());
                return;
            }
            response.onNext(ActionEventResponse.newBuilder().setTenantId(TENANT).setWorkerId(request.getWorkerId())
                    .build());
            response.onCompleted();
        }

        @Override
        public void unsubscribe(WorkerUnsubscribeRequest request, StreamObserver<WorkerUnsubscribeResponse> response) {
            if (!isUuid(request.getWorkerId())) {
                response.onError(Status.INVALID_ARGUMENT.withDescription("invalid worker ID format: "
                        + request.getWorkerId()).asRuntimeException());
                return;
            }
            synchronized (TestHatchet.this) {
                Worker worker = workers.get(request.getWorkerId());
                if (worker == null) {
                    response.onError(Status.NOT_FOUND.withDescription("worker not found: " + request.getWorkerId())
                            .asRuntimeException());
                    return;
                }
                worker.stream = null;
            }
            response.onNext(WorkerUnsubscribeResponse.newBuilder().setTenantId(TENANT)
                    .setWorkerId(request.getWorkerId()).build());
            response.onCompleted();
        }
    }

    private final class Events extends EventsServiceGrpc.EventsServiceImplBase {
        @Override
        public void push(PushEventRequest request, StreamObserver<Event> response) {
            if (request.getKey().isBlank() || readObject(request.getPayload()) == null) {
                response.onError(Status.INVALID_ARGUMENT.withDescription("invalid event").asRuntimeException());
                return;
            }
            String eventId = UUID.randomUUID().toString();
            ObjectNode metadata = request.hasAdditionalMetadata() ? readObject(request.getAdditionalMetadata())
                    : Json.MAPPER.createObjectNode();
            metadata.put("hatchet__event_id", eventId);
            metadata.put("hatchet__event_key", request.getKey());
            synchronized (TestHatchet.this) {
                for (CreateWorkflowVersionRequest workflow : workflows.values()) {
                    boolean triggered = workflow.getEventTriggersList().stream()
                            .anyMatch(trigger -> triggerMatches(trigger, request.getKey()));
                    if (triggered) {
                        addRun(new Run(workflow, request.getPayload(), metadata.toString(), request.getKey()));
                    }
                }
            }
            response.onNext(Event.newBuilder().setTenantId(TENANT).setEventId(eventId).setKey(request.getKey())
                    .setPayload(request.getPayload()).build());
            response.onCompleted();
        }
    }

    /**
     * pkg/repository/sqlcv1/triggers.sql: event_key LIKE REPLACE(trigger, '*', '%'); so in a trigger '*'
     * and '%' match any run of characters, '_' any one character, and a backslash escapes the next.
     */
    static boolean triggerMatches(String trigger, String key) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < trigger.length(); i++) {
            char c = trigger.charAt(i);
            if (c == '\\' && i + 1 < trigger.length()) {
                regex.append(Pattern.quote(String.valueOf(trigger.charAt(++i))));
            } else if (c == '*' || c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(key).matches();
    }

    private final class WorkflowTriggers extends WorkflowServiceGrpc.WorkflowServiceImplBase {
        @Override
        public void triggerWorkflow(TriggerWorkflowRequest request, StreamObserver<TriggerWorkflowResponse> response) {
            Run run;
            synchronized (TestHatchet.this) {
                CreateWorkflowVersionRequest workflow = workflows.get(request.getName());
                if (workflow == null) {
                    response.onError(Status.INVALID_ARGUMENT.withDescription("workflow names not found: "
                            + request.getName()).asRuntimeException());
                    return;
                }
                if (readObject(request.getInput()) == null) {
                    response.onError(Status.INVALID_ARGUMENT.withDescription("input is not a JSON object")
                            .asRuntimeException());
                    return;
                }
                run = new Run(workflow, request.getInput(),
                        request.hasAdditionalMetadata() ? request.getAdditionalMetadata() : "{}", null);
                addRun(run);
            }
            response.onNext(TriggerWorkflowResponse.newBuilder().setWorkflowRunId(run.id).build());
            response.onCompleted();
        }
    }
}
