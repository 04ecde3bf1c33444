package ai.kaaj.api;

import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.extraction.CriteriaValidator;
import ai.kaaj.ingest.LenderIngest;
import ai.kaaj.ingest.LenderIngest.Accepted;
import ai.kaaj.ingest.RejectedInput;
import ai.kaaj.ingest.RequestJson;
import ai.kaaj.ingest.Uploads;
import ai.kaaj.store.DocumentStore;
import ai.kaaj.store.LenderStore;
import ai.kaaj.store.LenderStore.LenderRow;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The lender endpoints under /api/lenders. */
public final class LenderApi {

    static final TypeReference<Map<String, Evidence>> EVIDENCE = new TypeReference<>() {
    };

    /** Guidelines hold a handful of programs; more is a mistake or an attack on the matcher. */
    static final int MAX_PROGRAMS = 50;

    private final LenderIngest ingest;
    private final LenderStore lenders;
    private final DocumentStore documents;
    private final RunApi runs;

    public LenderApi(LenderIngest ingest, LenderStore lenders, DocumentStore documents, RunApi runs) {
        this.ingest = ingest;
        this.lenders = lenders;
        this.documents = documents;
        this.runs = runs;
    }

    /** POST /api/lenders/upload: multipart with a file part and a name field. */
    public Reply upload(Object file, String fileName, String name) throws IOException {
        if (!(file instanceof File upload)) {
            throw new RejectedInput(400, "file is required: send multipart/form-data with a part named 'file'");
        }
        return accepted(ingest.upload(name, fileName, Files.readAllBytes(upload.toPath())));
    }

    static Reply accepted(Accepted accepted) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lender_id", accepted.lenderId());
        body.put("document_id", accepted.documentId());
        body.put("run_id", accepted.runId());
        body.put("status", accepted.status());
        if (accepted.duplicate()) {
            body.put("duplicate", true);
            return Reply.ok(body);
        }
        return Reply.accepted(body);
    }

    /**
     * GET /api/lenders: in id order, optionally one status and names containing q (any case); a page of
     * limit lenders from offset when limit is given (up to 1,000), else all of them; total counts the matches.
     * review=required lists instead the lenders awaiting review, the longest waiting first. The REST
     * operation allows only known statuses and review values.
     */
    public Reply list(String status, String review, String q, String limit, String offset) {
        String statusFilter = status == null || status.isEmpty() ? null : status;
        Map<String, Object> body = new LinkedHashMap<>();
        if (review != null && !review.isEmpty()) {
            List<Map<String, Object>> waiting = lenders.awaitingReview(statusFilter).stream().map(this::summary).toList();
            body.put("lenders", waiting);
            body.put("total", waiting.size());
            return Reply.ok(body);
        }
        String search = q == null || q.isBlank() ? null : q.strip();
        int pageSize = Requests.wholeNumber("limit", limit, Integer.MAX_VALUE, 1, 1000);
        int skip = Requests.wholeNumber("offset", offset, 0, 0, Integer.MAX_VALUE);
        List<Map<String, Object>> views = lenders.page(statusFilter, search, pageSize, skip).stream()
                .map(this::summary).toList();
        body.put("lenders", views);
        body.put("total", skip == 0 && views.size() < pageSize ? views.size() : lenders.count(statusFilter, search));
        return Reply.ok(body);
    }

    public Reply get(String id) {
        return Reply.ok(detail(find(id)));
    }

    /** POST /api/lenders: an active lender from criteria an operator typed in. */
    public Reply create(String body) {
        JsonNode request = RequestJson.object("the request body", body);
        String name = Uploads.name("name", request.path("name").isTextual() ? request.get("name").asText() : null);
        LenderCriteria criteria = validCriteria(request.get("criteria"));
        long id = lenders.createWithCriteria(name, criteria)
                .orElseThrow(() -> new RejectedInput(409, "a lender named '" + name + "' already exists"));
        return Reply.created(detail(lenders.find(id).orElseThrow()));
    }

    /**
     * PUT /api/lenders/{id}/criteria: an operator's correction, validated, stored as a new version; the values it
     * changes or adds have "manual" evidence, those it leaves as they were keep theirs. It ends the lender's review.
     */
    public Reply putCriteria(String id, String body) {
        LenderRow lender = find(id);
        LenderCriteria criteria = validCriteria(RequestJson.object("the request body", body));
        CriteriaReading correction = lender.criteria() == null ? CriteriaReading.manual(criteria)
                : CriteriaReading.corrected(criteria, new CriteriaReading(Json.read(lender.criteria(),
                LenderCriteria.class), lender.evidence() == null ? null : Json.read(lender.evidence(), EVIDENCE), null));
        lenders.saveCriteria(lender.id(), null, correction, "manual");
        return Reply.ok(detail(lenders.find(lender.id()).orElseThrow()));
    }

    /** POST /api/lenders/{id}/approve: an operator checked the criteria read from the document; the review ends. */
    public Reply approve(String id) {
        LenderRow lender = find(id);
        if (lender.criteria() == null) {
            throw new RejectedInput(409, "lender " + lender.id() + " has no criteria to approve (status "
                    + lender.status() + ")");
        }
        lenders.approve(lender.id());
        return Reply.ok(detail(lenders.find(lender.id()).orElseThrow()));
    }

    public Reply reprocess(String id) {
        return accepted(ingest.reprocess(find(id).id()));
    }

    public Reply activate(String id) {
        LenderRow lender = find(id);
        if (lender.criteria() == null) {
            throw new RejectedInput(409, "lender " + lender.id() + " has no criteria yet (status " + lender.status()
                    + "); process its document or PUT its criteria first");
        }
        lenders.setActive(lender.id(), true);
        return Reply.ok(detail(lenders.find(lender.id()).orElseThrow()));
    }

    public Reply deactivate(String id) {
        LenderRow lender = find(id);
        lenders.setActive(lender.id(), false);
        return Reply.ok(detail(lenders.find(lender.id()).orElseThrow()));
    }

    private LenderRow find(String id) {
        long lenderId = Requests.number("lender", id);
        return lenders.find(lenderId).orElseThrow(() -> new RejectedInput(404, "lender " + lenderId + " not found"));
    }

    /** Criteria from JSON, normalised, or 400 (shape) / 422 (values) naming the fields. */
    static LenderCriteria validCriteria(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new RejectedInput(400, "criteria is required: a JSON object with programs");
        }
        if (node.path("programs").size() > MAX_PROGRAMS) {
            throw new RejectedInput(422, "criteria has " + node.path("programs").size() + " programs; the limit is "
                    + MAX_PROGRAMS);
        }
        LenderCriteria criteria = RequestJson.as("criteria", node, LenderCriteria.class);
        LenderCriteria normalised = CriteriaValidator.normalise(criteria);
        List<String> errors = CriteriaValidator.validate(normalised);
        if (!errors.isEmpty()) {
            throw new RejectedInput(422, "criteria are not valid: " + String.join("; ", errors));
        }
        return normalised;
    }

    private Map<String, Object> summary(LenderRow lender) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("lender_id", lender.id());
        view.put("name", lender.name());
        view.put("status", lender.status());
        view.put("criteria_source", lender.criteriaSource());
        view.put("criteria_version", lender.criteriaVersion());
        view.put("review_required", lender.reviewRequired());
        view.put("review_requested_at", lender.reviewRequestedAt());
        view.put("program_count", lender.criteria() == null ? 0
                : Json.read(lender.criteria(), JsonNode.class).path("programs").size());
        view.put("error", lender.error());
        view.put("updated_at", lender.updatedAt());
        return view;
    }

    /** jsonb keeps keys in its own order: evidence is shown in the order the criteria list their values. */
    static Map<String, Object> inCriteriaOrder(LenderCriteria criteria, Map<?, ?> evidence) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String path : CriteriaReading.values(criteria).keySet()) {
            if (evidence.containsKey(path)) {
                ordered.put(path, evidence.get(path));
            }
        }
        return ordered;
    }

    private Map<String, Object> detail(LenderRow lender) {
        Map<String, Object> view = summary(lender);
        view.put("created_at", lender.createdAt());
        // Read back through the record so fields come in schema order, not jsonb's.
        LenderCriteria criteria = lender.criteria() == null ? null : Json.read(lender.criteria(), LenderCriteria.class);
        view.put("criteria", criteria);
        view.put("evidence", criteria == null || lender.evidence() == null ? null
                : inCriteriaOrder(criteria, Json.read(lender.evidence(), Map.class)));
        view.put("warnings", lender.warnings() == null ? null : Json.read(lender.warnings(), List.class));
        if (lender.documentId() != null) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("document_id", lender.documentId());
            document.put("pages", documents.pageMethods(lender.documentId()).stream()
                    .map(page -> Map.of("page", page.pageNumber(), "method", page.method())).toList());
            view.put("document", document);
        }
        view.put("run", runs.view(lender.lastRunId()));
        return view;
    }
}
