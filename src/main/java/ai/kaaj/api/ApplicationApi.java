package ai.kaaj.api;

import ai.kaaj.domain.Json;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.domain.MatchResult;
import ai.kaaj.ingest.ApplicationIngest;
import ai.kaaj.ingest.ApplicationIngest.Accepted;
import ai.kaaj.ingest.RejectedInput;
import ai.kaaj.pipeline.LoanMatchingSteps;
import ai.kaaj.store.ApplicationStore;
import ai.kaaj.store.ApplicationStore.ApplicationRow;
import ai.kaaj.store.MatchStore;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The application endpoints under /api/applications. */
public final class ApplicationApi {

    private final ApplicationIngest ingest;
    private final ApplicationStore applications;
    private final MatchStore matches;
    private final RunApi runs;

    public ApplicationApi(ApplicationIngest ingest, ApplicationStore applications, MatchStore matches, RunApi runs) {
        this.ingest = ingest;
        this.applications = applications;
        this.matches = matches;
        this.runs = runs;
    }

    public Reply create(String body) {
        return accepted(ingest.json(body));
    }

    public Reply upload(Object file, String fileName) throws IOException {
        if (!(file instanceof File upload)) {
            throw new RejectedInput(400, "file is required: send multipart/form-data with a part named 'file'");
        }
        return accepted(ingest.pdf(fileName, Files.readAllBytes(upload.toPath())));
    }

    public Reply rematch(String id) {
        return accepted(ingest.rematch(find(id).id()));
    }

    static Reply accepted(Accepted accepted) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("application_id", accepted.applicationId());
        body.put("run_id", accepted.runId());
        if (accepted.duplicate()) {
            body.put("duplicate", true);
            return Reply.ok(body);
        }
        return Reply.accepted(body);
    }

    /** GET /api/applications: the newest first, at most 500, optionally one status (the REST operation allows known ones). */
    public Reply list(String status) {
        List<Map<String, Object>> views = applications.list(status == null || status.isEmpty() ? null : status, 500)
                .stream().map(application -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("application_id", application.id());
                    view.put("status", application.status());
                    view.put("source", application.source());
                    JsonNode fields = application.application() == null ? null
                            : Json.read(application.application(), JsonNode.class);
                    view.put("business_name", fields == null ? null : fields.path("business_name").asText(null));
                    view.put("created_at", application.createdAt());
                    view.put("matched_at", application.matchedAt());
                    view.put("error", application.error());
                    return view;
                }).toList();
        return Reply.ok(Map.of("applications", views));
    }

    public Reply get(String id) {
        ApplicationRow application = find(id);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("application_id", application.id());
        view.put("status", application.status());
        view.put("source", application.source());
        view.put("document_id", application.documentId());
        view.put("application", application.application() == null ? null
                : Json.read(application.application(), LoanApplication.class));
        view.put("error", application.error());
        view.put("created_at", application.createdAt());
        view.put("matched_at", application.matchedAt());
        view.put("run", runs.view(application.lastRunId()));
        return Reply.ok(view);
    }

    public Reply matches(String id, String status) {
        ApplicationRow application = find(id);
        List<MatchResult> results = matches.results(application.id(), status == null || status.isEmpty() ? null
                : status).stream().filter(row -> !"pending".equals(row.status()))
                .map(LoanMatchingSteps::toResult).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("application_id", application.id());
        body.put("status", application.status());
        body.put("matches", results);
        return Reply.ok(body);
    }

    private ApplicationRow find(String id) {
        long applicationId = Requests.number("application", id);
        return applications.find(applicationId)
                .orElseThrow(() -> new RejectedInput(404, "application " + applicationId + " not found"));
    }
}
