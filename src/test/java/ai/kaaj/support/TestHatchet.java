package ai.kaaj.support;

import ai.kaaj.domain.Json;
import ai.kaaj.hatchet.proto.dispatcher.ActionEventResponse;
import ai.kaaj.hatchet.proto.dispatcher.ActionType;
import ai.kaaj.hatchet.proto.dispatcher.AssignedAction;
import ai.kaaj.hatchet.proto.dispatcher.DispatcherGrpc;
import ai.kaaj.hatchet.proto.dispatcher.HeartbeatRequest;
import ai.kaaj.hatchet.proto.dispatcher.HeartbeatResponse;
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
import ai.kaaj.hatchet.proto.v1.CreateTaskOpts;
import ai.kaaj.hatchet.proto.v1.CreateWorkflowVersionRequest;
import ai.kaaj.hatchet.proto.v1.CreateWorkflowVersionResponse;
import ai.kaaj.hatchet.proto.v1.GetRunDetailsRequest;
import ai.kaaj.hatchet.proto.v1.GetRunDetailsResponse;
import ai.kaaj.hatchet.proto.v1.TaskRunDetail;
import ai.kaaj.hatchet.proto.v1.TriggerWorkflowRequest;
import ai.kaaj.hatchet.proto.workflows.TriggerWorkflowResponse;
import ai.kaaj.hatchet.proto.workflows.WorkflowServiceGrpc;
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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The engine side of Hatchet's gRPC contracts, in process and on loopback, faithful enough to drive
 * full runs: it checks workflow and worker registrations as the engine does, streams assigned steps
 * to workers with free slots for their actions, walks each run's DAG (a task is assignable once its
 * parents completed; its payload carries their outputs), applies timeouts (cancelling the attempt)
 * and retries, runs the on-failure task with the errors, and accepts events and triggers. It can drop
 * every stream, forget its workers, or restart on the same port, on command. Retry backoff is
 * shortened to 100 ms · 2^attempt so tests stay quick.
 */
public final class TestHatchet implements AutoCloseable {

    public static final String TENANT = "707d0855-80ab-4e1f-a156-f1c4546cbf52";
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9.\\-_]+$");
    private static final Pattern ACTION = Pattern.compile("^[^:\\s]+:[^:\\s]+(:[^:\\s]+)?$");
    private static final Pattern DURATION = Pattern.compile("^(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ms|s|m|h))+$");
    private static final Duration HEARTBEAT_WINDOW = Duration.ofSeconds(6);

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
        volatile ServerCallStreamObserver<AssignedAction> stream;
        volatile long lastHeartbeatNanos = System.nanoTime();
        public volatile int heartbeats;

        Worker(WorkerRegisterRequest registration) {
            this.registration = registration;
        }

        int slots() {
            return registration.getSlotConfigOrDefault("default", 100);
        }
    }

    private final String token;
    private final int port;
    private final ServerCredentials credentials;
    private final Map<String, CreateWorkflowVersionRequest> workflows = new LinkedHashMap<>();
    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private final List<Run> runs = new CopyOnWriteArrayList<>();
    private final Map<String, Run> runByTask = new java.util.HashMap<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    /** Nanoseconds from sending START_STEP_RUN to receiving COMPLETED, per completed attempt. */
    private final List<Long> dispatchNanos = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private Server server;

    public TestHatchet() throws IOException {
        this(null, null);
    }

    /** An engine serving TLS with this certificate chain and PKCS#8 key (PEM files), or plaintext when null. */
    public TestHatchet(Path certificateChain, Path privateKey) throws IOException {
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
                return next.startCall(call, headers);
            }
        };
        // as the engine: clients may ping every 5 s, with or without calls in flight
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port), credentials)
                .permitKeepAliveTime(5, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .addService(ServerInterceptors.intercept(new Dispatcher(), auth))
                .addService(ServerInterceptors.intercept(new Events(), auth))
                .addService(ServerInterceptors.intercept(new WorkflowTriggers(), auth))
                .addService(ServerInterceptors.intercept(new Admin(), auth))
                .build().start();
    }

    // ---- what tests look at and do ------------------------------------------------------------

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

    public List<Long> dispatchNanos() {
        return List.copyOf(dispatchNanos);
    }

    public Run awaitRun(Predicate<Run> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Run run : runs) {
                if (condition.test(run)) {
                    return run;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no run matched within " + timeout + "; runs: " + describeRuns());
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
                    || busy.getOrDefault(worker.id, 0) >= worker.slots()) {
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
            task.definition.getParentsList().forEach(parent -> parents.set(parent,
                    readObject(run.tasks.get(parent).output)));
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

    private synchronized void stepEvent(StepActionEvent event) {
        Run run = runByTask.get(event.getTaskRunExternalId());
        if (run == null) {
            return;
        }
        Task task = tasksOf(run).stream().filter(t -> t.externalId.equals(event.getTaskRunExternalId()))
                .findFirst().orElseThrow();
        String type = event.getEventType().name().replace("STEP_EVENT_TYPE_", "");
        events.add(task.name() + ":" + type + ":" + event.getRetryCount());
        boolean current = event.hasRetryCount() && event.getRetryCount() == task.retryCount
                && (task.status == TaskStatus.ASSIGNED || task.status == TaskStatus.RUNNING);
        if (!current) {
            return; // a stale attempt's report: the engine ignores it too
        }
        switch (event.getEventType()) {
            case STEP_EVENT_TYPE_STARTED -> task.status = TaskStatus.RUNNING;
            case STEP_EVENT_TYPE_COMPLETED -> {
                if (readObject(event.getEventPayload()) == null) {
                    failAttempt(run, task, "invalid json in field `taskOutput`", false);
                    return;
                }
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
            case STEP_EVENT_TYPE_FAILED -> failAttempt(run, task, event.getEventPayload(),
                    event.hasShouldNotRetry() && event.getShouldNotRetry());
            default -> {
            }
        }
        // a finished attempt frees a slot and may ready the next task: assign at once, as the engine does
        tick();
    }

    private static ObjectNode readObject(String json) {
        if (json == null || json.isEmpty()) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return node instanceof ObjectNode object ? object : null;
        } catch (IOException e) {
            return null;
        }
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
            String problem = check(request);
            if (problem != null) {
                response.onError(Status.INVALID_ARGUMENT.withDescription(problem).asRuntimeException());
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

        private String check(CreateWorkflowVersionRequest request) {
            if (!NAME.matcher(request.getName()).matches()) {
                return "invalid workflow name " + request.getName();
            }
            if (request.getTasksCount() == 0) {
                return "a workflow needs at least one task";
            }
            List<String> names = request.getTasksList().stream().map(CreateTaskOpts::getReadableId).toList();
            List<CreateTaskOpts> all = new ArrayList<>(request.getTasksList());
            if (request.hasOnFailureTask()) {
                all.add(request.getOnFailureTask());
            }
            for (CreateTaskOpts task : all) {
                if (!NAME.matcher(task.getReadableId()).matches()) {
                    return "invalid readable id " + task.getReadableId();
                }
                if (!ACTION.matcher(task.getAction()).matches()) {
                    return "invalid action id " + task.getAction();
                }
                if (!task.getTimeout().isEmpty() && !DURATION.matcher(task.getTimeout()).matches()) {
                    return "invalid timeout " + task.getTimeout();
                }
                if (task.hasScheduleTimeout() && !DURATION.matcher(task.getScheduleTimeout()).matches()) {
                    return "invalid schedule timeout " + task.getScheduleTimeout();
                }
                if (task.getRetries() < 0) {
                    return "retries must not be negative";
                }
                for (String parent : task.getParentsList()) {
                    if (!names.contains(parent)) {
                        return "unknown parent " + parent + " of " + task.getReadableId();
                    }
                }
            }
            if (request.getEventTriggersList().stream().anyMatch(String::isBlank)) {
                return "empty event trigger";
            }
            return null;
        }
    }

    private final class Dispatcher extends DispatcherGrpc.DispatcherImplBase {
        @Override
        public void register(WorkerRegisterRequest request, StreamObserver<WorkerRegisterResponse> response) {
            String problem = !NAME.matcher(request.getWorkerName()).matches() ? "invalid worker name"
                    : request.getActionsList().stream().anyMatch(a -> !ACTION.matcher(a).matches()) ? "invalid action"
                    : request.hasSlots() && request.getSlotConfigCount() > 0 ? "slots and slot_config are exclusive"
                    : null;
            if (problem != null) {
                response.onError(Status.INVALID_ARGUMENT.withDescription(problem).asRuntimeException());
                return;
            }
            Worker worker = new Worker(request);
            synchronized (TestHatchet.this) {
                workers.put(worker.id, worker);
            }
            response.onNext(WorkerRegisterResponse.newBuilder().setTenantId(TENANT).setWorkerId(worker.id)
                    .setWorkerName(request.getWorkerName()).build());
            response.onCompleted();
        }

        @Override
        public void listenV2(WorkerListenRequest request, StreamObserver<AssignedAction> response) {
            synchronized (TestHatchet.this) {
                Worker worker = workers.get(request.getWorkerId());
                if (worker == null) {
                    response.onError(Status.NOT_FOUND.withDescription("worker not found").asRuntimeException());
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
                worker.lastHeartbeatNanos = System.nanoTime();
            }
        }

        @Override
        public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
            synchronized (TestHatchet.this) {
                Worker worker = workers.get(request.getWorkerId());
                if (worker == null) {
                    response.onError(Status.NOT_FOUND.withDescription("worker not found").asRuntimeException());
                    return;
                }
                worker.heartbeats++;
                worker.lastHeartbeatNanos = System.nanoTime();
                if (worker.stream == null) {
                    response.onError(Status.FAILED_PRECONDITION.withDescription("worker stream is not active")
                            .asRuntimeException());
                    return;
                }
            }
            response.onNext(HeartbeatResponse.getDefaultInstance());
            response.onCompleted();
        }

        @Override
        public void sendStepActionEvent(StepActionEvent request, StreamObserver<ActionEventResponse> response) {
            try {
                UUID.fromString(request.getTaskRunExternalId());
            } catch (IllegalArgumentException e) {
                response.onError(Status.INVALID_ARGUMENT.withDescription("invalid task run id").asRuntimeException());
                return;
            }
            stepEvent(request);
            response.onNext(ActionEventResponse.newBuilder().setTenantId(TENANT).setWorkerId(request.getWorkerId())
                    .build());
            response.onCompleted();
        }

        @Override
        public void unsubscribe(WorkerUnsubscribeRequest request, StreamObserver<WorkerUnsubscribeResponse> response) {
            synchronized (TestHatchet.this) {
                Worker worker = workers.get(request.getWorkerId());
                if (worker != null) {
                    worker.stream = null;
                }
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
                    boolean triggered = workflow.getEventTriggersList().stream().anyMatch(trigger ->
                            Pattern.compile(Pattern.quote(trigger).replace("*", "\\E.*\\Q")).matcher(request.getKey())
                                    .matches());
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
