package ai.kaaj.api;

import ai.kaaj.store.RunHistory;
import ai.kaaj.store.RunHistory.RunSummary;
import ai.kaaj.store.WorkerStore;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GET /api/runs (recent runs of both workflows) and GET /api/workers (who runs steps): the console's runs pages. */
public final class OperationsApi {

    private final RunHistory runs;
    private final WorkerStore workers;
    private final Duration aliveWithin;

    public OperationsApi(RunHistory runs, WorkerStore workers, Duration aliveWithin) {
        this.runs = runs;
        this.workers = workers;
        this.aliveWithin = aliveWithin;
    }

    /**
     * Newest first, at most limit (default 50, up to 500) from offset; workflow and status filter (the REST
     * operation allows known ones).
     */
    public Reply runs(String workflow, String status, String limit, String offset) {
        String workflowFilter = workflow == null || workflow.isEmpty() ? null : workflow;
        String statusFilter = status == null || status.isEmpty() ? null : status;
        int pageSize = Requests.wholeNumber("limit", limit, 50, 1, 500);
        int skip = Requests.wholeNumber("offset", offset, 0, 0, Integer.MAX_VALUE);
        List<Map<String, Object>> views = runs.recent(workflowFilter, statusFilter, pageSize, skip).stream()
                .map(OperationsApi::view).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runs", views);
        body.put("total", runs.count(workflowFilter, statusFilter));
        body.put("limit", pageSize);
        body.put("offset", skip);
        return Reply.ok(body);
    }

    private static Map<String, Object> view(RunSummary run) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("run_id", run.id());
        view.put("workflow", run.workflow());
        view.put("status", run.status());
        view.put("engine", run.engine());
        view.put("hatchet_run_id", run.externalId());
        view.put("lender_id", run.lenderId());
        view.put("application_id", run.applicationId());
        view.put("steps_done", run.stepsDone());
        view.put("steps_total", run.stepsTotal());
        view.put("current_step", run.currentStep());
        view.put("error", run.error());
        view.put("created_at", run.createdAt());
        view.put("started_at", run.startedAt());
        view.put("finished_at", run.finishedAt());
        view.put("duration_ms", RunApi.durationMillis(run.startedAt(), run.finishedAt()));
        return view;
    }

    /** Workers that beat within the alive window, then those silent for up to an hour, marked not alive. */
    public Reply workers() {
        List<Map<String, Object>> views = workers.recent(aliveWithin).stream().map(worker -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", worker.name());
            view.put("engine", worker.engine());
            view.put("alive", worker.alive());
            view.put("slots", worker.slots());
            view.put("slots_in_use", worker.slotsInUse());
            view.put("started_at", worker.startedAt());
            view.put("last_heartbeat_at", worker.heartbeatAt());
            return view;
        }).toList();
        return Reply.ok(Map.of("workers", views));
    }
}
