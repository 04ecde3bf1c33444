package ai.kaaj.api;

import ai.kaaj.domain.CriteriaDiff;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.ingest.RejectedInput;
import ai.kaaj.store.CriteriaHistory;
import ai.kaaj.store.CriteriaHistory.Version;
import ai.kaaj.store.LenderStore;
import ai.kaaj.store.LenderStore.LenderRow;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lender's criteria versions: GET /api/lenders/{id}/versions, /versions/{version} and
 * /diff?from=&to= (what changed between two of them).
 */
public final class CriteriaHistoryApi {

    private final LenderStore lenders;
    private final CriteriaHistory history;

    public CriteriaHistoryApi(LenderStore lenders, CriteriaHistory history) {
        this.lenders = lenders;
        this.history = history;
    }

    /** Every version, newest first, without the criteria themselves. */
    public Reply versions(String id) {
        LenderRow lender = find(id);
        List<Map<String, Object>> views = history.versions(lender.id()).stream().map(version -> {
            Map<String, Object> view = summary(version);
            view.put("current", version.version() == lender.criteriaVersion());
            return view;
        }).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lender_id", lender.id());
        body.put("current_version", lender.criteriaVersion());
        body.put("versions", views);
        return Reply.ok(body);
    }

    public Reply version(String id, String number) {
        LenderRow lender = find(id);
        Version version = find(lender, number);
        Map<String, Object> view = summary(version);
        // Read back through the record so fields come in schema order, as the lender's current criteria do.
        LenderCriteria criteria = Json.read(version.criteria(), LenderCriteria.class);
        view.put("criteria", criteria);
        view.put("evidence", LenderApi.inCriteriaOrder(criteria, Json.read(version.evidence(), LenderApi.EVIDENCE)));
        view.put("warnings", Json.read(version.warnings(), List.class));
        return Reply.ok(view);
    }

    /** The changes from version `from` to version `to` (either way round); the REST operation requires both. */
    public Reply diff(String id, String from, String to) {
        LenderRow lender = find(id);
        Version older = find(lender, from);
        Version newer = find(lender, to);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lender_id", lender.id());
        body.put("from", older.version());
        body.put("to", newer.version());
        body.put("changes", CriteriaDiff.between(Json.read(older.criteria(), JsonNode.class),
                Json.read(newer.criteria(), JsonNode.class)));
        return Reply.ok(body);
    }

    private static Map<String, Object> summary(Version version) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("version", version.version());
        view.put("source", version.source());
        view.put("run_id", version.runId());
        view.put("created_at", version.createdAt());
        JsonNode criteria = Json.read(version.criteria(), JsonNode.class);
        view.put("program_count", criteria.path("programs").size());
        view.put("warning_count", Json.read(version.warnings(), List.class).size());
        return view;
    }

    private Version find(LenderRow lender, String number) {
        int version;
        try {
            version = Integer.parseInt(number);
        } catch (NumberFormatException e) {
            throw new RejectedInput(404, "criteria version '" + number + "' not found: versions are whole numbers");
        }
        return history.version(lender.id(), version).orElseThrow(() -> new RejectedInput(404,
                "lender " + lender.id() + " has no criteria version " + version));
    }

    private LenderRow find(String id) {
        long lenderId = Requests.number("lender", id);
        return lenders.find(lenderId).orElseThrow(() -> new RejectedInput(404, "lender " + lenderId + " not found"));
    }
}
