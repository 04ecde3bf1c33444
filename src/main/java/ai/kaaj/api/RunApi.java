package ai.kaaj.api;

import ai.kaaj.domain.Json;
import ai.kaaj.engine.StepDefinition;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.engine.Workflows;
import ai.kaaj.ingest.RejectedInput;
import ai.kaaj.store.RunStore;
import ai.kaaj.store.RunStore.RunRow;
import ai.kaaj.store.RunStore.StepRow;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** GET /api/runs/{id}: a workflow run and its steps, in workflow order. */
public final class RunApi {

    private final RunStore runs;

    public RunApi(RunStore runs) {
        this.runs = runs;
    }

    public Reply get(String id) {
        UUID runId = Requests.uuid("run", id);
        return Reply.ok(view(runs.find(runId).orElseThrow(() -> new RejectedInput(404, "run " + id + " not found"))));
    }

    /** The run as the API shows it, also embedded in lender and application views. */
    public Map<String, Object> view(RunRow run) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("run_id", run.id());
        view.put("workflow", run.workflow());
        view.put("event", run.event());
        view.put("status", run.status());
        view.put("error", run.error());
        view.put("created_at", run.createdAt());
        view.put("started_at", run.startedAt());
        view.put("finished_at", run.finishedAt());
        view.put("steps", stepViews(run));
        return view;
    }

    public Map<String, Object> view(UUID runId) {
        return runId == null ? null : runs.find(runId).map(this::view).orElse(null);
    }

    private static List<Map<String, Object>> stepViews(RunRow run) {
        Map<String, StepRow> byName = new LinkedHashMap<>();
        run.steps().forEach(step -> byName.put(step.step(), step));
        List<String> order = new ArrayList<>();
        Workflows.byName(run.workflow()).map(WorkflowDefinition::steps)
                .ifPresent(steps -> steps.stream().map(StepDefinition::name).forEach(order::add));
        byName.keySet().stream().filter(name -> !order.contains(name)).forEach(order::add);
        List<Map<String, Object>> views = new ArrayList<>();
        for (String name : order) {
            StepRow step = byName.get(name);
            if (step == null) {
                continue;
            }
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("step", step.step());
            view.put("status", step.status());
            view.put("attempts", step.attempts());
            view.put("started_at", step.startedAt());
            view.put("finished_at", step.finishedAt());
            view.put("duration_ms", durationMillis(step.startedAt(), step.finishedAt()));
            view.put("error", step.error());
            // what the step passed on: ids, counts, the extractor used and the model's token counts
            view.put("output", step.output() == null ? null : Json.read(step.output(), JsonNode.class));
            views.add(view);
        }
        return views;
    }

    /** How long something that started and finished took, in milliseconds; null while either is unknown. */
    static Long durationMillis(Instant started, Instant finished) {
        return started == null || finished == null ? null : Duration.between(started, finished).toMillis();
    }
}
