package ai.kaaj.api;

import ai.kaaj.config.LlmSettings;
import ai.kaaj.documents.Ocr;
import ai.kaaj.engine.StepWorker;
import ai.kaaj.store.Database;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * GET /api/health (liveness: 200 while the process runs, with each component's state) and
 * GET /api/health/ready (readiness: 200 only when the database answers, its migrations are applied,
 * the engine runs and OCR is available; 503 otherwise). The body names every component's status.
 */
public final class HealthApi {

    private final Database database;
    private final Optional<StepWorker> worker;
    private final String engineType;
    private final String engineVersion;
    private final Supplier<Optional<String>> handOver;
    private final Ocr ocr;
    private final LlmSettings llm;

    /**
     * worker is empty in the api role: runs are queued for worker processes; handOver says why runs wait
     * for Hatchet, if they do; engineVersion is Hatchet's (null for the embedded engine); llm is null
     * without a model.
     */
    public HealthApi(Database database, Optional<StepWorker> worker, String engineType, String engineVersion,
                     Supplier<Optional<String>> handOver, Ocr ocr, LlmSettings llm) {
        this.engineType = engineType;
        this.engineVersion = engineVersion;
        this.handOver = handOver;
        this.llm = llm;
        this.database = database;
        this.worker = worker;
        this.ocr = ocr;
    }

    public Reply health() {
        Map<String, Object> body = components(false);
        return new Reply(200, body);
    }

    public Reply ready() {
        Map<String, Object> body = components(true);
        return new Reply("up".equals(body.get("status")) ? 200 : 503, body);
    }

    private Map<String, Object> components(boolean withMigrations) {
        boolean databaseUp = database.isReachable();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "up");
        body.put("database", component(databaseUp, databaseUp ? null : "the database does not answer"));
        if (withMigrations) {
            int pending = databaseUp ? database.pendingMigrations() : -1;
            body.put("migrations", component(pending == 0, pending == 0 ? null
                    : pending < 0 ? "cannot read the migration history" : pending + " migrations not applied"));
        }
        String workerProblem = worker.flatMap(StepWorker::problem).orElse(null);
        Map<String, Object> engine = component(databaseUp && workerProblem == null
                        && worker.map(StepWorker::isRunning).orElse(true),
                !databaseUp ? "runs are kept in the database, which does not answer" : workerProblem);
        engine.put("type", engineType);
        if (engineVersion != null) {
            engine.put("version", engineVersion);
        }
        // the API still takes uploads while runs wait to be handed over: shown, but not "down"
        handOver.get().ifPresent(problem -> engine.put("waiting", problem));
        worker.ifPresentOrElse(steps -> engine.put("worker", steps.owner()),
                () -> engine.put("role", "api: worker processes run the steps"));
        body.put("engine", engine);
        body.put("ocr", component(ocr.isAvailable(), ocr.unavailableReason()
                .map(reason -> reason + "; " + Ocr.INSTALL_HINT).orElse(null)));
        body.put("extraction", extraction());
        boolean allUp = body.values().stream().filter(Map.class::isInstance)
                .allMatch(value -> "up".equals(((Map<?, ?>) value).get("status")));
        body.put("status", allUp ? "up" : databaseUp ? "degraded" : "down");
        return body;
    }

    /** Which extractor reads documents; the model's key is never shown. */
    private Map<String, Object> extraction() {
        Map<String, Object> view = component(true, null);
        view.put("extractor", llm == null ? "rules" : "llm");
        if (llm != null) {
            view.put("model", llm.model());
            view.put("base_url", llm.baseUrl());
        }
        return view;
    }

    private static Map<String, Object> component(boolean up, String detail) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("status", up ? "up" : "down");
        if (detail != null) {
            view.put("detail", detail);
        }
        return view;
    }
}
