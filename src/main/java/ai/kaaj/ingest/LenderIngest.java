package ai.kaaj.ingest;

import ai.kaaj.documents.DocumentException;
import ai.kaaj.documents.PdfText;
import ai.kaaj.engine.Workflows;
import ai.kaaj.store.DocumentStore;
import ai.kaaj.store.DocumentStore.StoredDocument;
import ai.kaaj.store.LenderStore;
import ai.kaaj.store.RunStore;
import ai.kaaj.store.Sql;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Stores a lender's guideline document and queues its processing, in one transaction: the lender,
 * the document and the run are all written, or none is. The same content for the same lender is
 * stored once and not processed again.
 */
public final class LenderIngest {

    /** What the client polls: the lender, the stored document, the run processing it. */
    public record Accepted(long lenderId, long documentId, UUID runId, String status, boolean duplicate) {
    }

    private final Sql sql;
    private final LenderStore lenders;
    private final DocumentStore documents;
    private final RunStore runs;
    private final long maxUploadBytes;

    public LenderIngest(Sql sql, LenderStore lenders, DocumentStore documents, RunStore runs, long maxUploadBytes) {
        this.sql = sql;
        this.lenders = lenders;
        this.documents = documents;
        this.runs = runs;
        this.maxUploadBytes = maxUploadBytes;
    }

    public Accepted upload(String lenderName, String clientFileName, byte[] content) {
        String fileName = Uploads.fileName(clientFileName);
        String name = Uploads.name("name", lenderName);
        Uploads.checkSize(fileName, content.length, maxUploadBytes);
        String contentType = checkContent(fileName, content);
        return sql.inTransaction(c -> {
            long lenderId = lenders.findOrCreate(c, name);
            StoredDocument document = documents.store(c, "lender", lenderId, fileName, contentType, content);
            if (!document.created()) {
                LenderStore.LenderRow lender = lenders.find(c, lenderId).orElseThrow();
                if (lender.lastRunId() != null && Long.valueOf(document.id()).equals(lender.documentId())) {
                    return new Accepted(lenderId, document.id(), lender.lastRunId(), lender.status(), true);
                }
            }
            UUID runId = queue(c, lenderId, document.id());
            return new Accepted(lenderId, document.id(), runId, "pending", false);
        });
    }

    /** Runs the pipeline again on the lender's current document. */
    public Accepted reprocess(long lenderId) {
        LenderStore.LenderRow lender = lenders.find(lenderId)
                .orElseThrow(() -> new RejectedInput(404, "lender " + lenderId + " not found"));
        if (lender.documentId() == null) {
            throw new RejectedInput(409, "lender " + lenderId + " has no document to process; its criteria were "
                    + "entered by hand");
        }
        UUID runId = sql.inTransaction(c -> queue(c, lenderId, lender.documentId()));
        return new Accepted(lenderId, lender.documentId(), runId, "pending", false);
    }

    private UUID queue(java.sql.Connection c, long lenderId, long documentId) throws java.sql.SQLException {
        String input = "{\"lender_id\":" + lenderId + ",\"document_id\":" + documentId + "}";
        UUID runId = runs.create(c, Workflows.LENDER_PROCESSING.name(), Workflows.LENDER_DOCUMENT_UPLOADED, input,
                Workflows.LENDER_PROCESSING.steps().stream().map(s -> s.name()).toList());
        lenders.startProcessing(c, lenderId, documentId, runId);
        return runId;
    }

    /** The stored content type, after checking the bytes are what the name says. */
    static String checkContent(String fileName, byte[] content) {
        String extension = Uploads.extension(fileName);
        switch (extension) {
            case "pdf" -> {
                if (!PdfText.looksLikePdf(content)) {
                    throw new RejectedInput(415, fileName + " is not a PDF (its content does not start with %PDF-)");
                }
                try {
                    PdfText.check(content, fileName);
                } catch (DocumentException e) {
                    throw new RejectedInput(422, e.getMessage());
                }
                return "application/pdf";
            }
            case "txt" -> {
                try {
                    StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(content));
                } catch (CharacterCodingException e) {
                    throw new RejectedInput(415, fileName + " is not UTF-8 text");
                }
                return "text/plain";
            }
            default -> throw new RejectedInput(415, fileName + " is not a supported document: upload a PDF (.pdf) "
                    + "or plain text (.txt)");
        }
    }
}
