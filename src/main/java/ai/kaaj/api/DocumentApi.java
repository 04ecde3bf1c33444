package ai.kaaj.api;

import ai.kaaj.documents.DocumentException;
import ai.kaaj.documents.PageImage;
import ai.kaaj.domain.Json;
import ai.kaaj.ingest.RejectedInput;
import ai.kaaj.store.DocumentStore;
import ai.kaaj.store.DocumentStore.Document;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /api/documents/{id}/pages: the text of a document's pages (and their layout, when stored), for
 * evidence; GET /api/documents/{id}/pages/{page}/image: a PDF page drawn as PNG.
 */
public final class DocumentApi {

    private final DocumentStore documents;

    public DocumentApi(DocumentStore documents) {
        this.documents = documents;
    }

    /** Writes the PNG itself (errors go the API's JSON way): 2 pixels per PDF point, see PageImage. */
    public void pageImage(Exchange exchange) {
        var message = exchange.getMessage();
        long documentId = Requests.number("document", message.getHeader("id", String.class));
        String page = message.getHeader("page", String.class);
        Document document = documents.find(documentId)
                .orElseThrow(() -> new RejectedInput(404, "document " + documentId + " not found"));
        if (!"application/pdf".equals(document.contentType())) {
            throw new RejectedInput(404, "document " + documentId + " is " + document.contentType()
                    + ", not a PDF: it has no page images");
        }
        int pageNumber = Requests.wholeNumber("page", page, 1, 1, Integer.MAX_VALUE);
        byte[] png;
        try {
            png = PageImage.png(document.content(), pageNumber)
                    .orElseThrow(() -> new RejectedInput(404, "document " + documentId + " has no page " + page));
        } catch (DocumentException e) {
            throw new RejectedInput(422, e.getMessage());
        }
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, "image/png");
        message.setBody(png);
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
