package ai.kaaj.api;

import ai.kaaj.domain.Json;
import ai.kaaj.ingest.RejectedInput;
import ai.kaaj.store.DocumentStore;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GET /api/documents/{id}/pages: the text of a document's pages (and their layout, when stored), for evidence. */
public final class DocumentApi {

    private final DocumentStore documents;

    public DocumentApi(DocumentStore documents) {
        this.documents = documents;
    }

    public Reply pages(String id) {
        long documentId = Requests.number("document", id);
        if (!documents.exists(documentId)) {
            throw new RejectedInput(404, "document " + documentId + " not found");
        }
        List<JsonNode> pages = documents.pageRows(documentId).stream()
                .map(row -> Json.read(row, JsonNode.class)).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("document_id", documentId);
        body.put("pages", pages);
        return Reply.ok(body);
    }
}
