package ai.kaaj.api;

import ai.kaaj.documents.Ocr;
import ai.kaaj.engine.EmbeddedWorker;
import ai.kaaj.store.Database;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GET /api/health: database, engine and OCR, each with its status. 200 while the database answers
 * (the service can take uploads), 503 when it does not. OCR being unavailable degrades, not fails.
 */
public final class HealthApi {

    private final Database database;
    private final EmbeddedWorker worker;
    private final Ocr ocr;

    /** worker is null in the api role: runs are queued for worker processes. */
    public HealthApi(Database database, EmbeddedWorker worker, Ocr ocr) {
        this.database = database;
        this.worker = worker;
        this.ocr = ocr;
    }

    public Reply health() {
        boolean databaseUp = database.isReachable();
        Map<String, Object> engine = new LinkedHashMap<>();
        engine.put("type", "embedded");
        if (worker == null) {
            engine.put("status", databaseUp ? "up" : "down");
            engine.put("detail", "this process queues runs; worker processes run them");
        } else {
            engine.put("status", databaseUp && worker.isRunning() ? "up" : "down");
            engine.put("worker", worker.owner());
        }
        Map<String, Object> ocrView = new LinkedHashMap<>();
        ocrView.put("status", ocr.isAvailable() ? "up" : "unavailable");
        ocr.unavailableReason().ifPresent(reason -> ocrView.put("detail", reason + "; " + Ocr.INSTALL_HINT));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", !databaseUp ? "down" : ocr.isAvailable() ? "up" : "degraded");
        body.put("database", Map.of("status", databaseUp ? "up" : "down"));
        body.put("engine", engine);
        body.put("ocr", ocrView);
        return new Reply(databaseUp ? 200 : 503, body);
    }
}
